// Labels for the domain's codes. The English wording is the server pages'
// own, so both speak with one voice and share their translations. Each table
// is a function: it must be built after the user's language has loaded.
import { _ } from './i18n.js';

/** How a contact happened. */
export const contactModes = () => ({
  visit: _('Visit'),
  phone: _('Phone call'),
  office: _('At our office'),
  video: _('Video call'),
  message: _('Message'),
  attempt_failed: _('Tried, could not reach'),
});

/** Needs offered as checkboxes on a contact. */
export const needs = () => ({
  housing: _('Housing'),
  work: _('Work'),
  documents: _('Documents'),
  health: _('Health'),
  family: _('Family'),
  money: _('Money'),
  training: _('Training'),
  other: _('Other'),
});

/** Follow-up statuses. */
export const followUpStatuses = () => ({
  upcoming: _('Upcoming'),
  due: _('Due now'),
  overdue: _('Overdue'),
  met: _('Done'),
  missed: _('Missed'),
});

/** Employment situations in an outcome. */
export const employment = () => ({
  employed_formal: _('Employed, with a contract'),
  employed_informal: _('Working, without a contract'),
  self_employed: _('Self-employed'),
  in_training: _('In training or education'),
  unemployed: _('Not working'),
  unknown: _('Not known'),
});

/** Housing situations in an outcome. */
export const housing = () => ({
  stable: _('Stable home'),
  temporary: _('Temporary place'),
  homeless: _('No home'),
  unknown: _('Not known'),
});

/** Attendance marks. */
export const attendance = () => ({
  present: _('Present'),
  late: _('Late'),
  excused: _('Excused'),
  absent: _('Absent'),
  sick: _('Sick'),
  refused: _('Refused'),
});

/** Assessment results. */
export const results = () => ({
  competent: _('Competent'),
  not_yet_competent: _('Not yet competent'),
});

/** Participant statuses. */
export const participantStatuses = () => ({
  in_custody: _('In custody'),
  released: _('Released'),
  returned_to_custody: _('Returned to custody'),
  closed: _('Closed'),
});

/** Kinds of record, for describing outbox items. */
export const entities = () => ({
  contact: _('Contact'),
  outcome: _('Outcome'),
  attendance: _('Attendance'),
  assessment: _('Assessment'),
  session: _('Session'),
  release_plan_item: _('Release plan item'),
});

/** Field names shown when comparing two versions of a record. */
export const fieldNames = () => ({
  occurred_at: _('When'),
  mode: _('How'),
  location: _('Where'),
  summary: _('What happened'),
  needs: _('Needs raised'),
  observed_on: _('Observed on'),
  employment: _('Work'),
  uses_trained_skill: _('Uses the trained skill'),
  housing: _('Housing'),
  returned_to_custody: _('Returned to custody'),
  note: _('Note'),
  status: _('Status'),
  result: _('Result'),
  assessed_on: _('Assessed on'),
  date: _('Date'),
  topic: _('Topic'),
  recorded_at: _('Recorded at'),
});

/** Kinds of release plan item (the officer pages' words). */
export const planKinds = () => ({
  id_documents: _('Identity documents'),
  housing: _('Housing'),
  employment: _('Employment'),
  education: _('Education or training'),
  family_contact: _('Family contact'),
  health: _('Health care'),
  toolkit: _('Toolkit'),
  ngo_referral: _('Referral to a partner organisation'),
  transport: _('Transport on release day'),
});

/** Release plan item statuses. */
export const planStatuses = () => ({
  todo: _('To do'),
  in_progress: _('In progress'),
  done: _('Done'),
  not_needed: _('Not needed'),
});
