import { describe, expect, it } from 'vitest';
import { findLinks } from '../../src/mail/extract/links.js';
import type { FoundLink } from '../../src/mail/extract/links.js';
import { expectLinear } from '../support/scaling.js';

function urls(links: FoundLink[]): string[] {
  return links.map((link) => link.url);
}

function actionUrl(links: FoundLink[]): string | null {
  const actions = links.filter((link) => link.action);
  expect(actions.length).toBeLessThanOrEqual(1);
  return actions[0]?.url ?? null;
}

describe('findLinks: listing', () => {
  it('lists HTML links first, then text links, each in order of appearance', () => {
    const links = findLinks({
      html: '<p><a href="https://a.example/1">One</a> <a href="https://a.example/2">Two</a></p>',
      text: 'See https://t.example/3 and http://t.example/4.',
    });
    expect(urls(links)).toEqual(['https://a.example/1', 'https://a.example/2', 'https://t.example/3', 'http://t.example/4']);
  });

  it('lists each URL once, keeping its first position and anchor text', () => {
    const links = findLinks({
      html: '<a href="https://x.example/a"><img src="logo.png"></a><a href="https://x.example/b">Bee</a><a href="https://x.example/a">Home page</a>',
      text: 'Home: https://x.example/a\nBee: https://x.example/b',
    });
    expect(links).toEqual([
      { url: 'https://x.example/a', text: 'Home page', action: false },
      { url: 'https://x.example/b', text: 'Bee', action: false },
    ]);
  });

  it('decodes entities in hrefs and anchor text, and folds blanks in the text', () => {
    const [link] = findLinks({
      html: '<a href="https://x.example/?a=1&amp;b=2&#38;c=&quot;3&quot;">  Terms\n  &amp;&nbsp;  <b>Conditions</b> </a>',
      text: '',
    });
    expect(link).toEqual({ url: 'https://x.example/?a=1&b=2&c="3"', text: 'Terms & Conditions', action: false });
  });

  it('uses the alt text of an image-only anchor, and null when there is none', () => {
    const links = findLinks({
      html: '<a href="https://x.example/logo"><img alt="Acme logo" src="x.png"></a><a href="https://x.example/blank"> </a>',
      text: 'https://x.example/plain',
    });
    expect(links.map((link) => link.text)).toEqual(['Acme logo', null, null]);
  });

  it('ignores schemes other than http and https, and relative links', () => {
    const html = [
      '<a href="javascript:alert(1)">Verify</a>',
      '<a href="JavaScript:void(0)">Confirm</a>',
      '<a href="mailto:help@x.example">Mail us</a>',
      '<a href="data:text/html;base64,PHNjcmlwdD4=">Activate</a>',
      '<a href="tel:+15550100">Call</a>',
      '<a href="/relative/verify">Verify</a>',
      '<a href="#top">Top</a>',
      '<a>No href</a>',
      '<a href="https://ok.example/">OK</a>',
    ].join('');
    const links = findLinks({ html, text: 'mailto:x@y.example javascript:alert(1) ftp://files.example/x' });
    expect(links).toEqual([{ url: 'https://ok.example/', text: 'OK', action: false }]);
  });

  it('keeps tabs and line breaks out of wrapped hrefs', () => {
    const [link] = findLinks({ html: '<a href="\n https://x.example/very/\nlong?x=1\t">x</a>', text: '' });
    expect(link?.url).toBe('https://x.example/very/long?x=1');
  });

  it('trims sentence punctuation and unopened brackets from plain-text links', () => {
    const links = findLinks({
      text: 'Open https://x.example/a. Or (https://x.example/b), or <https://x.example/c>! See https://en.wikipedia.org/wiki/Mail_(protocol).',
    });
    expect(urls(links)).toEqual(['https://x.example/a', 'https://x.example/b', 'https://x.example/c', 'https://en.wikipedia.org/wiki/Mail_(protocol)']);
  });

  it('returns nothing when there are no links', () => {
    expect(findLinks({ text: 'No links here, just www-less words.', html: '<p>Nothing</p>' })).toEqual([]);
    expect(findLinks({ text: '', html: null })).toEqual([]);
  });
});

describe('findLinks: the action link', () => {
  const chrome = (button: string, buttonUrl: string): string =>
    `<a href="https://brand.example/">Brand</a><p>Hello!</p><a href="${buttonUrl}">${button}</a>` +
    '<a href="https://brand.example/help">Help centre</a><a href="https://brand.example/unsubscribe?u=1">Unsubscribe</a>';

  it.each([
    ['en', 'Verify email address', 'Welcome'],
    ['en', 'Confirm my account', 'Welcome'],
    ['en', 'Activate your account', 'Welcome'],
    ['en', 'Reset password', 'Reset your password'],
    ['en', 'Sign in to Acme', 'Welcome'],
    ['en', 'Log in with magic link', 'Welcome'],
    ['de', 'E-Mail-Adresse bestätigen', 'Willkommen'],
    ['de', 'Konto aktivieren', 'Willkommen'],
    ['de', 'Passwort zurücksetzen', 'Passwort vergessen?'],
    ['de', 'Jetzt anmelden', 'Willkommen'],
    ['ru', 'Подтвердить почту', 'Добро пожаловать'],
    ['ru', 'Активировать аккаунт', 'Добро пожаловать'],
    ['ru', 'Сбросить пароль', 'Сброс пароля'],
    ['ru', 'Войти', 'Добро пожаловать'],
    ['nl', 'Bevestig je e-mailadres', 'Welkom'],
    ['nl', 'Account activeren', 'Welkom'],
    ['nl', 'Wachtwoord opnieuw instellen', 'Wachtwoord vergeten?'],
    ['nl', 'Inloggen', 'Welkom'],
    ['es', 'Confirmar mi cuenta', 'Bienvenido'],
    ['es', 'Activar cuenta', 'Bienvenido'],
    ['es', 'Restablecer contraseña', 'Restablece tu contraseña'],
    ['es', 'Iniciar sesión', 'Bienvenido'],
    ['fr', 'Vérifier mon adresse', 'Bienvenue'],
    ['fr', 'Activer mon compte', 'Bienvenue'],
    ['fr', 'Réinitialiser le mot de passe', 'Mot de passe oublié ?'],
    ['fr', 'Se connecter', 'Bienvenue'],
    ['zh', '验证邮箱', '欢迎'],
    ['zh', '激活账户', '欢迎'],
    ['zh', '登录', '欢迎'],
    ['zh', '重置密码', '重置密码'],
    ['ja', 'メールアドレスを認証する', 'ようこそ'],
    ['ja', 'ログイン', 'ようこそ'],
    ['ja', 'パスワードを再設定する', 'パスワード再設定のご案内'],
    ['ko', '이메일 인증하기', '환영합니다'],
    ['ko', '로그인', '환영합니다'],
    ['ko', '비밀번호 재설정', '비밀번호 재설정 안내'],
  ])('%s: "%s" in a mail titled "%s"', (_language, button, subject) => {
    // The URL says nothing, so only the anchor text can make it the action.
    const links = findLinks({ subject, html: chrome(button, 'https://click.brand.example/ls/c?upn=Xy12'), text: '' });
    expect(actionUrl(links)).toBe('https://click.brand.example/ls/c?upn=Xy12');
  });

  it.each([
    ['en', 'Your verification code', 'Reset your password'],
    ['en', 'New sign-in to your account', 'Reset password'],
    ['de', 'Neue Anmeldung', 'Passwort zurücksetzen'],
    ['ru', 'Новый вход в аккаунт', 'Сбросить пароль'],
    ['es', 'Nuevo inicio de sesión', 'Restablecer contraseña'],
    ['zh', '新设备登录提醒', '重置密码'],
    ['ja', '新しい端末からのログイン', 'パスワードを再設定する'],
    ['ko', '새 기기 로그인 알림', '비밀번호 재설정'],
  ])('%s: takes no "%s" mail\'s "%s" link, which is only for a password reset', (_language, subject, button) => {
    const html = `<p>Was this you? If not:</p><a href="https://click.brand.example/ls/c?upn=Xy12">${button}</a>`;
    expect(actionUrl(findLinks({ subject, html, text: '' }))).toBeNull();
    const inUrl = '<a href="https://brand.example/account/password/reset?token=q1">Click here</a>';
    expect(actionUrl(findLinks({ subject, html: inUrl, text: '' }))).toBeNull();
  });

  it('takes the verify link of a verification mail, not its reset link, whichever comes first', () => {
    const html =
      '<a href="https://brand.example/password/reset?token=r1">Reset your password</a>' +
      '<a href="https://brand.example/verify?token=v1">Verify your email</a>';
    expect(actionUrl(findLinks({ subject: 'Verify your email', html, text: '' }))).toBe('https://brand.example/verify?token=v1');
    expect(actionUrl(findLinks({ subject: 'Reset your password', html, text: '' }))).toBe('https://brand.example/password/reset?token=r1');
  });

  it('judges a link by its path, not its host: a verify link on support.example.com is the action', () => {
    const links = findLinks({ html: chrome('Verify your email', 'https://support.example.com/verify?token=abc'), text: '' });
    expect(actionUrl(links)).toBe('https://support.example.com/verify?token=abc');
  });

  it('judges by words in the URL when the anchor text says nothing', () => {
    const links = findLinks({ html: chrome('Click here', 'https://brand.example/account/verify?token=abc'), text: '' });
    expect(actionUrl(links)).toBe('https://brand.example/account/verify?token=abc');
  });

  it('judges plain-text links by the words before them and their URL', () => {
    const links = findLinks({
      text: 'Home: https://brand.example/\n\nConfirm your address:\nhttps://brand.example/c/8f3a9c\n\nUnsubscribe: https://brand.example/u/8f3a9c',
    });
    expect(actionUrl(links)).toBe('https://brand.example/c/8f3a9c');
    expect(actionUrl(findLinks({ text: 'https://brand.example/\nhttps://brand.example/auth/magic?token=q1' }))).toBe(
      'https://brand.example/auth/magic?token=q1',
    );
  });

  it('prefers a link whose text and URL both look like the action', () => {
    const html =
      '<a href="https://brand.example/login">Sign in</a>' + '<a href="https://brand.example/verify-email?token=t1">Verify your email</a>';
    expect(actionUrl(findLinks({ html, text: '' }))).toBe('https://brand.example/verify-email?token=t1');
  });

  it('marks only the first of equally likely links', () => {
    const html = '<a href="https://x.example/a">Confirm</a><a href="https://x.example/b">Confirm</a>';
    const links = findLinks({ html, text: '' });
    expect(links.map((link) => link.action)).toEqual([true, false]);
  });

  it('never picks unsubscribe, preference, privacy or view-online links', () => {
    const html = [
      '<a href="https://x.example/unsubscribe?token=abc&confirm=1">Confirm unsubscribe</a>',
      '<a href="https://x.example/p?token=abc">Manage preferences</a>',
      '<a href="https://x.example/privacy?verify=1">Privacy policy</a>',
      '<a href="https://x.example/abmelden?token=1">Newsletter abmelden</a>',
      '<a href="https://x.example/o?token=1">Отписаться</a>',
      '<a href="https://x.example/d?token=1">Se désinscrire</a>',
      '<a href="https://x.example/v?token=1">View this email in your browser</a>',
      '<a href="https://t.example/open/pixel.gif?token=1">Confirm</a>',
      '<a href="https://x.example/c?token=1">退订</a>',
      '<a href="https://x.example/c?token=2">配信停止</a>',
      '<a href="https://x.example/c?token=3">수신거부</a>',
    ].join('');
    expect(actionUrl(findLinks({ html, text: 'Unsubscribe: https://x.example/optout?token=z' }))).toBeNull();
  });

  it.each([
    ['en', 'Not you? Let us know'],
    ['en', "If this wasn't you, secure your account"],
    ['en', 'Report this sign-up'],
    ['en', 'Help centre'],
    ['de', 'Nicht du? Konto schützen'],
    ['ru', 'Это не я'],
    ['nl', 'Niet jij? Laat het ons weten'],
    ['es', '¿No fuiste tú? Avísanos'],
    ['fr', "Ce n'était pas vous ? Signaler"],
    ['zh', '不是本人操作？请告诉我们'],
    ['ja', '心当たりがない場合'],
    ['ko', '본인이 아닌 경우 신고하기'],
  ])('%s: never picks "%s", even with a confirming URL', (_language, text) => {
    const html = `<a href="https://x.example/confirm?token=1">${text}</a>`;
    expect(actionUrl(findLinks({ subject: 'Confirm your email', html, text: '' }))).toBeNull();
  });

  it('picks the verify link when unsubscribe, view-online and not-you links come before it', () => {
    const html =
      '<a href="https://l.example/u/1">Unsubscribe</a> <a href="https://l.example/v/1">View in browser</a>' +
      '<a href="https://l.example/c/1/2">Verify my email</a> Not you? <a href="https://l.example/r/1">Report it</a>';
    expect(actionUrl(findLinks({ subject: 'One more step', html, text: '' }))).toBe('https://l.example/c/1/2');
  });

  it('reads the words of a plain-text link from its own line, or the line above', () => {
    const text = 'Not you? Tell us at once and we will look into it.\nhttps://x.example/c/1\n\nConfirm your email:\nhttps://x.example/c/2';
    expect(actionUrl(findLinks({ subject: 'Confirm', text }))).toBe('https://x.example/c/2');
    const above = "If this wasn't you, ignore this message.\nConfirm your email: https://x.example/c/3";
    expect(actionUrl(findLinks({ subject: 'Confirm', text: above }))).toBe('https://x.example/c/3');
  });

  it('marks nothing when no link looks like an action', () => {
    const html =
      '<a href="https://shop.example/">Shop</a><a href="https://shop.example/orders/123">View order</a>' +
      '<a href="https://shop.example/orders/124">确认收货</a><a href="https://shop.example/orders/125">ご注文内容の確認</a>';
    expect(actionUrl(findLinks({ html, text: 'Track it: https://carrier.example/t/1Z999' }))).toBeNull();
  });

  it('does not count action words in the host name', () => {
    expect(actionUrl(findLinks({ html: '<a href="https://verify.example/news">News</a>', text: '' }))).toBeNull();
  });
});

describe('findLinks on hostile input', () => {
  // Up to the megabytes given, in time growing like the input (test/support/scaling.ts).
  it.each([
    ['text of URLs', (n: number) => ({ text: 'https://x.example/verify?token=1 '.repeat(n) }), 25_000],
    ['one endless URL', (n: number) => ({ text: `https://x.example/${'a'.repeat(n)}` }), 625_000],
    ['URL-like noise', (n: number) => ({ text: 'https://'.repeat(n) }), 87_500],
    ['trailing punctuation', (n: number) => ({ text: `https://x.example/${'.'.repeat(n)}` }), 625_000],
    ['closing brackets', (n: number) => ({ text: `https://x.example/${').'.repeat(n)}` }), 312_500],
    ['HTML anchors', (n: number) => ({ text: '', html: '<a href="https://x.example/?q=1&amp;r=2">Verify</a>'.repeat(n) }), 12_500],
    ['nested HTML', (n: number) => ({ text: '', html: '<a href="https://x.example/"><div>'.repeat(n) }), 62_500],
    ['an endless attribute', (n: number) => ({ text: '', html: `<a href="https://x.example/${'x'.repeat(n)}">Confirm</a>` }), 625_000],
    ['digits and spaces', (n: number) => ({ subject: '8 3 1 5 7 2', text: '8 3 1 5 7 2 '.repeat(n) }), 62_500],
    ['a link after a long line', (n: number) => ({ text: `${'not you '.repeat(n)}https://x.example/confirm?token=1` }), 78_125],
  ])('stays linear on megabytes of %s', (_kind, build, size) => {
    expectLinear(build, findLinks, size);
  });
});
