// The caseworker's referral inbox: referrals to their organisation waiting for an
// answer, read from the server (pending referrals are not on the device: it holds
// only the people a caseworker already sees). Accepting or declining needs the
// network and is never queued: an answer kept for later could reach the server
// after a colleague's, so offline the screen says so and the buttons are disabled.
import { api, ApiError } from '../api.js';
import { _, format, formatDay } from '../i18n.js';
import { refreshCsrf } from '../session.js';
import { syncNow } from '../sync.js';
import { h, notice, pageHead, printableName, show } from '../ui.js';

const PAGE = 200;

/** Every pending referral to the caseworker's organisation, page after page. */
async function pendingReferrals() {
  const found = [];
  let cursor = null;
  do {
    const query = new URLSearchParams({ status: 'pending', limit: String(PAGE) });
    if (cursor) query.set('cursor', cursor);
    const page = await api('GET', `/referrals?${query}`);
    found.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return found;
}

/** The inbox screen; message is the result of the last answer, shown above the list. */
export async function referralsScreen(message = null) {
  const head = pageHead(_('Referral inbox'));
  const offline = notice(_('Answering a referral needs a connection. Try again when you are online.'), 'warning');
  if (!navigator.onLine) return show(head, offline);
  let referrals;
  try {
    referrals = await pendingReferrals();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return show(head, error.status === 0 ? offline : notice(error.message, 'error'));
  }
  const list = referrals.length
    ? h('ul', { class: 'fa-list' }, referrals.map((referral) => referralItem(referral)))
    : h('p', { class: 'card muted' }, _('No referral waits for an answer. Officers refer people to your organisation before release; new referrals appear here.'));
  offline.hidden = true;
  show(head, message, offline,
    referrals.length ? h('p', { class: 'hint' }, _('Accepting a referral assigns the person to you. You see their record once they have also given consent to your organisation.')) : null,
    list);
  followConnection(offline);
}

/** Offline, the answer buttons are disabled and the warning shows; online again, they work. */
function followConnection(warning) {
  const update = () => {
    if (!document.body.contains(warning)) {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
      return; // another screen is shown now
    }
    warning.hidden = navigator.onLine;
    for (const button of document.querySelectorAll('.fa-referral button')) button.disabled = !navigator.onLine;
  };
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  update();
}

/** One referral: who (the name once consent allows it), when, why, and the two answers. */
function referralItem(referral) {
  const name = referral.participant_name ? printableName(referral.participant_name) : _('Name shared after consent');
  const problem = h('p', { class: 'flash flash-error', role: 'alert', hidden: true });
  const answer = (verb, text, cls) => {
    const button = h('button', { type: 'button', class: `button ${cls}` }, text,
      h('span', { class: 'visually-hidden' }, ` — ${name}`));
    button.addEventListener('click', () => respond(referral, verb, problem));
    return button;
  };
  return h('li', { class: 'fa-row fa-referral' },
    h('span', { class: 'fa-row-title' }, name),
    h('span', { class: 'fa-row-meta' }, format(_('Referred on %(date)s'), { date: formatDay(referral.created_at.slice(0, 10)) })),
    referral.reason ? h('p', { class: 'prose' }, referral.reason) : null,
    problem,
    h('div', { class: 'actions' },
      answer('accept', _('Accept'), 'primary'),
      answer('decline', _('Decline'), 'danger')));
}

/** POST the answer, once more with a fresh CSRF token if the old one expired. */
async function answerOnServer(id, verb) {
  try {
    await api('POST', `/referrals/${id}/${verb}`, {});
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'csrf_failed') throw error;
    await refreshCsrf();
    await api('POST', `/referrals/${id}/${verb}`, {});
  }
}

/** Send the answer; on success draw the inbox again (and sync: an accepted person comes). */
async function respond(referral, verb, problem) {
  const buttons = problem.parentElement.querySelectorAll('button');
  for (const button of buttons) button.disabled = true;
  try {
    await answerOnServer(referral.id, verb);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    problem.textContent = error.status === 0
      ? _('Answering a referral needs a connection. Try again when you are online.')
      : error.message;
    problem.hidden = false;
    for (const button of buttons) button.disabled = !navigator.onLine;
    return;
  }
  const done = verb === 'accept'
    ? _('The referral is accepted. Once the person has also given consent to your organisation, they appear in your caseload after the next sync.')
    : _('The referral is declined.');
  if (verb === 'accept') syncNow();
  await referralsScreen(notice(done));
}
