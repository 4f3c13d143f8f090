/**
 * The alerts a person may turn on to hear of new mail while looking
 * elsewhere, remembered in this browser: a system notification while the tab
 * is hidden, and a short soft tone. Both are off until asked for, and the
 * browser's permission to notify is requested only when the person presses
 * the button, never on its own. A notification names the subject and the
 * sender's name only: nothing of what the mail says, and no address.
 */
import { t } from '../i18n/locale.js';
import { subjectOf } from '../message/labels.js';
import { elementById } from '../page-elements.js';
import { inboxHash, messageHash } from '../routes.js';
import { loadAlertSettings, saveAlertSettings } from '../storage.js';

/** @typedef {import('../api-types.js').ApiMailbox} ApiMailbox */
/** @typedef {import('../api-types.js').ApiMessageSummary} ApiMessageSummary */

/** What the page tells of new mail, as the person chose. */
export class MailAlerts {
  constructor() {
    this.notifyButton = elementById('alert-notify', HTMLButtonElement);
    this.soundButton = elementById('alert-sound', HTMLButtonElement);
    this.blockedNote = elementById('alert-blocked', HTMLElement);
    this.settings = loadAlertSettings();
    this.tone = createTone();
    // Pages without the Notification API (most phones outside an installed app) show no such button.
    this.notifyButton.hidden = !('Notification' in window);
    this.notifyButton.addEventListener('click', () => this.toggleNotify());
    this.soundButton.addEventListener('click', () => this.toggleSound());
    // A sound remembered from an earlier visit may play only once the person has touched this page:
    // the tone gets ready on the first press of a key or a pointer, before any mail needs it.
    const ready = () => {
      if (this.settings.sound) this.tone.prepare();
    };
    for (const type of ['pointerdown', 'keydown']) window.addEventListener(type, ready, { once: true, capture: true });
    this.show(false);
  }

  /**
   * Tells the person of mail that just arrived, as they asked to be told.
   * @param {string} address the inbox it came to
   * @param {ApiMessageSummary[]} summaries the new messages, newest first
   */
  arrived(address, summaries) {
    if (summaries.length === 0) return;
    if (this.settings.sound) this.tone.play();
    if (this.notifying() && document.visibilityState === 'hidden') notify(address, summaries);
  }

  notifying() {
    return this.settings.notify && 'Notification' in window && Notification.permission === 'granted';
  }

  async toggleNotify() {
    let refused = false;
    if (this.notifying()) {
      this.settings.notify = false;
    } else {
      // Asked on this press only; a browser that was told "block" answers "denied" at once.
      const permission = Notification.permission === 'granted' ? 'granted' : await Notification.requestPermission();
      this.settings.notify = permission === 'granted';
      refused = permission === 'denied';
    }
    saveAlertSettings(this.settings);
    this.show(refused);
  }

  toggleSound() {
    this.settings.sound = !this.settings.sound;
    saveAlertSettings(this.settings);
    // Played now, on the press: the person hears what it sounds like, and the browser lets later tones play.
    if (this.settings.sound) this.tone.play();
    this.show(false);
  }

  /**
   * Puts the buttons in step with the settings and the browser's permission.
   * @param {boolean} refused the browser just refused to notify: say why, and how to undo it
   */
  show(refused) {
    const blocked = 'Notification' in window && Notification.permission === 'denied';
    this.notifyButton.setAttribute('aria-pressed', String(this.notifying()));
    this.notifyButton.classList.toggle('is-blocked', blocked);
    setLabel(this.notifyButton, t(blocked ? 'alerts.notifyBlocked' : 'alerts.notify'));
    this.soundButton.setAttribute('aria-pressed', String(this.settings.sound));
    setLabel(this.soundButton, t('alerts.sound'));
    // Written into a live region that is always there, so a screen reader reads it out as it appears.
    this.blockedNote.textContent = refused && blocked ? t('alerts.blocked') : '';
  }
}

/**
 * Names an icon button: the hidden label is what a screen reader says, the title what a mouse shows.
 * @param {HTMLButtonElement} button
 * @param {string} text
 */
function setLabel(button, text) {
  const label = button.querySelector('.btn-label');
  if (label !== null) label.textContent = text;
  button.title = text;
}

/**
 * A system notification: for one message its subject and sender, opening it
 * when clicked; for several, how many, opening the inbox.
 * @param {string} address
 * @param {ApiMessageSummary[]} summaries
 */
function notify(address, summaries) {
  const [first] = summaries;
  if (first === undefined) return;
  const single = summaries.length === 1;
  const target = single ? messageHash(address, first.id) : inboxHash(address);
  try {
    const notification = single
      ? new Notification(withoutInbox(subjectOf(first), address), { body: t('alerts.from', { sender: senderWithoutAddress(first.from) }), tag: first.id })
      : new Notification(t('alerts.newMessages', { count: summaries.length }));
    notification.addEventListener('click', () => {
      window.focus();
      window.location.hash = target;
      notification.close();
    });
  } catch {
    // Android's Chrome allows notifications from a service worker only; the title and icon still tell.
  }
}

/**
 * The subject with the inbox's own address cut out: sign-up mail often names
 * it ("Confirm you@..."), and the address is the key to the inbox, which a
 * lock screen must not show.
 * @param {string} subject
 * @param {string} address
 */
function withoutInbox(subject, address) {
  return subject.replace(new RegExp(address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '…');
}

/**
 * The sender's display name, else the domain they wrote from: never an
 * address, which a notification would put on a lock screen.
 * @param {ApiMailbox | null} from
 */
function senderWithoutAddress(from) {
  const name = from?.name.trim() ?? '';
  // A name may be written as an address, the oldest trick for looking like someone else.
  if (name !== '' && !name.includes('@')) return name;
  const address = from?.address ?? '';
  return address.slice(address.lastIndexOf('@') + 1) || t('alerts.unknownSender');
}

// Two notes a sixth apart (A5, then E6), seconds from the start: a chime, not a beep.
const CHIME = [{ at: 0, hertz: 880 }, { at: 0.12, hertz: 1318.5 }];
// Up and down in a quarter second, at a tenth of full volume.
const PEAK_GAIN = 0.1;
const RISE_S = 0.02;
const FADE_S = 0.25;

/**
 * A short, soft chime made with the Web Audio API: no sound file to fetch.
 * Browsers let an audio context play only once it was made or resumed during
 * a press on the page: the sound button's, or the first press of the visit.
 */
function createTone() {
  /** @type {AudioContext | null} */
  let context = null;
  /** @returns {AudioContext | null} */
  const prepare = () => {
    if (!('AudioContext' in window)) return null;
    context ??= new AudioContext();
    // A no-op when it already plays; a context made without a press stays suspended until one comes.
    context.resume().catch(() => undefined);
    return context;
  };
  return {
    prepare,
    play() {
      const context = prepare();
      if (context === null) return;
      const start = context.currentTime;
      for (const { at, hertz } of CHIME) {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.frequency.value = hertz;
        // Exponential ramps cannot start from zero: from a ten-thousandth, which is silence.
        gain.gain.setValueAtTime(0.0001, start + at);
        gain.gain.exponentialRampToValueAtTime(PEAK_GAIN, start + at + RISE_S);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + at + FADE_S);
        oscillator.connect(gain).connect(context.destination);
        oscillator.start(start + at);
        oscillator.stop(start + at + FADE_S);
      }
    },
  };
}
