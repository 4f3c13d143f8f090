import { describe, expect, it } from 'vitest';
import { MAX_HTML_ELEMENTS, readHtmlFacts } from '../../../src/report/checks/html-facts.js';
import { imageAlt, imageTextBalance, remoteImages } from '../../../src/report/checks/image-checks.js';
import { linkDomainMismatch, urlShortener } from '../../../src/report/checks/link-checks.js';
import { composed } from './check-support.js';

const facts = async (html: string) => readHtmlFacts((await composed({ html, text: 'x' })).html ?? '');
const words = (count: number) => 'word '.repeat(count / 4);

describe('readHtmlFacts', () => {
  it('reads images, anchors and visible text once, leaving out styles and scripts', () => {
    const found = readHtmlFacts('<style>p{color:red}</style><p>Hi  there</p><a href="https://a.test">  Go\n now </a><img src="x.png" alt=""><img src="p.gif" width="1" height="1"><script>var x</script>');
    expect(found).toEqual({
      images: [{ src: 'x.png', alt: '', tiny: false }, { src: 'p.gif', alt: null, tiny: true }],
      anchors: [{ href: 'https://a.test', text: 'Go now ' }],
      textCharacters: 'Hithere'.length + 'Gonow'.length,
      cut: false,
    });
  });

  it(`stops after ${MAX_HTML_ELEMENTS} elements of 20,000 links and says so`, () => {
    const found = readHtmlFacts(Array.from({ length: 20_000 }, (_, i) => `<a href="/${i}">x</a>`).join(''));
    expect(found.anchors).toHaveLength(MAX_HTML_ELEMENTS);
    expect(found.cut).toBe(true);
    expect(linkDomainMismatch(found)).toMatchObject({
      message: expect.stringContaining('(Only the first 10,000 elements and 256 KiB of the HTML were read.)'),
      messageCode: 'link-domain-mismatch.none',
      messageNotes: [{ code: 'html.partly-read', values: { elements: MAX_HTML_ELEMENTS, kilobytes: 256 } }],
    });
  });

  it('keeps a 200 KB anchor text to 256 characters and survives malformed markup', () => {
    const found = readHtmlFacts(`<a href="https://a.test" title="${'"'.repeat(10)}<<>>">${'x'.repeat(200_000)}</a><img src=<a <p </div></table>`);
    expect(found.anchors[0]?.text).toHaveLength(256);
    expect(found.cut).toBe(false);
    expect(readHtmlFacts('<img alt="' + 'a'.repeat(300_000)).cut).toBe(true);
  });
});

describe('link-domain-mismatch', () => {
  it('fails a link whose text shows one domain and whose target is another, naming both', async () => {
    const check = linkDomainMismatch(await facts('<a href="https://login.evil.test/x">https://www.bank.test/account</a> <a href="https://evil.test">paypal.com</a>'));
    expect(check).toEqual({
      id: 'link-domain-mismatch', status: 'fail', penalty: 1,
      message: '2 links show one domain and lead to another, as phishing does: "bank.test" goes to "evil.test" and "paypal.com" goes to "evil.test". ' +
        'Link the text to the address it shows, or use words instead of an address as the link text.',
      messageCode: 'link-domain-mismatch.found',
      messageValues: {
        count: 2,
        pairs: [
          { code: 'link-domain-mismatch.pair', values: { shown: '"bank.test"', target: '"evil.test"' } },
          { code: 'link-domain-mismatch.pair', values: { shown: '"paypal.com"', target: '"evil.test"' } },
        ],
      },
      messageNotes: [],
    });
  });

  it('passes subdomains of one registrable domain, international names in either spelling, and words as link text', async () => {
    const html = '<a href="https://click.shop.co.uk/t/1">www.shop.co.uk</a> <a href="https://xn--bcher-kva.test/">bücher.test</a> <a href="https://evil.test">Open your account</a> <a href="mailto:a@b.test">c.test</a>';
    expect(linkDomainMismatch(await facts(html))).toMatchObject({ status: 'pass', penalty: 0, messageCode: 'link-domain-mismatch.none', messageNotes: [] });
  });
});

describe('url-shortener', () => {
  it('warns naming each shortener, from the HTML and the text', async () => {
    const parsed = await composed({ html: '<a href="https://bit.ly/abc">Offer</a><a href="https://shop.test">Shop</a>', text: 'See https://tinyurl.com/xyz and https://bit.ly/def' });
    expect(urlShortener(parsed.links)).toMatchObject({
      id: 'url-shortener', status: 'warn', penalty: 0.25, message: expect.stringContaining('shorteners "bit.ly" and "tinyurl.com", which'),
      messageCode: 'url-shortener.found', messageValues: { count: 2, shorteners: ['"bit.ly"', '"tinyurl.com"'] },
    });
  });

  it('passes links to the sender\'s own domain', async () => {
    expect(urlShortener((await composed({ html: '<a href="https://shop.test/bit.ly">x</a>' })).links)).toMatchObject({ status: 'pass', messageCode: 'url-shortener.none' });
  });
});

describe('image checks', () => {
  it('warns about image-only mail and passes a logo above a short mail', async () => {
    const imageOnly = await facts('<img src="https://cdn.test/a.png" alt="Sale"><img src="https://cdn.test/b.png" alt="Now">');
    expect(imageTextBalance(imageOnly)).toMatchObject({
      id: 'image-text-balance', status: 'warn', penalty: 0.5, message: expect.stringContaining('2 images and only 0 characters of text'),
      messageCode: 'image-text-balance.mostly-images', messageValues: { count: 2, characters: 0, perImage: 200 },
    });
    expect(imageTextBalance(await facts(`<img src="logo.png" alt="Shop"><p>${words(240)}</p>`))).toMatchObject({
      status: 'pass', messageCode: 'image-text-balance.enough-text', messageValues: { count: 1 },
    });
    expect(imageTextBalance(await facts('<p>Hi</p>'))).toMatchObject({ status: 'pass', messageCode: 'image-text-balance.no-images' });
    expect(imageTextBalance(await facts(`<img src="a.png"><img src="b.png"><p>${words(240)}</p>`)).status).toBe('warn');
  });

  it('counts visible images without alt, leaving tracking pixels and alt="" alone', async () => {
    const check = imageAlt(await facts('<img src="https://cdn.test/hero.png"><img src="b.png"><img src="c.png" alt=""><img src="https://t.test/o.gif" width="1" height="1">'));
    expect(check).toMatchObject({
      id: 'image-alt', status: 'warn', penalty: 0.25, message: expect.stringMatching(/^2 images have no alt attribute \(the first: "https:\/\/cdn.test\/hero.png"\)/),
      messageCode: 'image-alt.missing', messageValues: { count: 2, src: '"https://cdn.test/hero.png"' },
    });
    expect(imageAlt(await facts('<img src="a.png" alt="A">'))).toMatchObject({ status: 'pass', messageCode: 'image-alt.ok' });
  });

  it('tells, as info costing nothing, how many images load from where; attached and inline data images are not remote', async () => {
    const check = remoteImages(await facts('<img src="https://cdn.test/a.png"><img src="//cdn.test/b.png"><img src="http://t.test/o.gif"><img src="cid:logo"><img src="data:image/png;base64,AA==">'));
    expect(check).toEqual({
      id: 'remote-images', status: 'info', penalty: 0,
      message: '3 images load from "cdn.test" and "t.test"; most clients show them only once the reader allows it, so the message should read well without.',
      messageCode: 'remote-images.found',
      messageValues: { count: 3, hosts: ['"cdn.test"', '"t.test"'] },
      messageNotes: [],
    });
    expect(remoteImages(await facts('<img src="cid:logo">'))).toMatchObject({ status: 'pass', messageCode: 'remote-images.none' });
  });
});
