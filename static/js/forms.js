// Server pages: a form sent once is not sent again by a second click. On submit a
// POST form is marked busy (aria-busy, styled in app.css) and its submit buttons are
// disabled until the answer replaces the page. A disabled button's name and value
// are left out of what the browser sends, so the clicked one's travel in a hidden
// input (the checklist's Competent / Not yet competent buttons are such a pair).
// Coming back to the page (the back button's page cache) or an answer that never
// replaces it (a download) makes the form usable again. The server does not rely on
// this: a creating form carries a one-time form id, and the same form sent twice
// makes one record (core/creates.py).

// Long enough for a slow answer on a prison's connection; then the form is usable again.
const RELEASE_AFTER_MS = 20000;
const COPY = 'data-submitter-copy';
const DISABLED_HERE = 'data-busy-disabled';

/** The form's submit buttons, including those outside it that name it (form=). */
function submitButtons(form) {
  return [...form.elements].filter((el) => el.type === 'submit' || el.type === 'image');
}

/** Put the clicked button's name and value into a hidden input, as the browser would send them. */
function keepSubmitter(form, submitter) {
  if (!submitter || !submitter.name || submitter.form !== form) return;
  const copy = document.createElement('input');
  copy.type = 'hidden';
  copy.name = submitter.name;
  copy.value = submitter.value;
  copy.setAttribute(COPY, '');
  form.append(copy);
}

/** Mark the form as sending and disable its submit buttons. */
function markBusy(form, submitter) {
  keepSubmitter(form, submitter);
  form.setAttribute('aria-busy', 'true');
  for (const button of submitButtons(form)) {
    if (!button.disabled) {
      button.disabled = true;
      button.setAttribute(DISABLED_HERE, '');
    }
  }
  form.busyTimer = setTimeout(() => release(form), RELEASE_AFTER_MS);
}

/** Make a busy form usable again: buttons enabled, copies of the clicked button removed. */
function release(form) {
  clearTimeout(form.busyTimer);
  form.removeAttribute('aria-busy');
  for (const button of form.querySelectorAll(`[${DISABLED_HERE}]`)) {
    button.disabled = false;
    button.removeAttribute(DISABLED_HERE);
  }
  for (const copy of form.querySelectorAll(`input[${COPY}]`)) copy.remove();
}

/** On submit (after every handler of the form itself has had its say), hold the form. */
function onSubmit(event) {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method !== 'post') return;
  if (form.getAttribute('aria-busy') === 'true') {
    event.preventDefault(); // Enter pressed again in a field: the first send is on its way
    return;
  }
  if (!event.defaultPrevented) markBusy(form, event.submitter);
}

/** Back to a page kept in the browser's cache: its forms are usable again. */
function onPageShow() {
  for (const form of document.querySelectorAll('form[aria-busy="true"]')) release(form);
}

document.addEventListener('submit', onSubmit);
window.addEventListener('pageshow', onPageShow);
