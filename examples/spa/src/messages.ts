// What the person sees for every refusal code the backend can return (functions and database). Unknown codes fall
// back to the server's message, so a new code is never shown as a blank.
import { isApiError } from './api.ts';

const MESSAGES: Record<string, string> = {
  network_error: 'The server cannot be reached. Check your connection; we keep trying.',
  auth_unavailable: 'Sign-in is briefly unavailable. Try again in a minute.',
  unauthorized: 'Please sign in again.',
  forbidden: 'You are not allowed to do this.',
  validation_failed: 'Some fields are not valid.',
  weak_password: 'Choose a longer password, with at least a letter and a digit.',
  account_conflict: 'An account with this email already exists. Sign in instead.',
  account_already_active: 'This account is already active: sign in with your password.',
  invitation_required: 'Open the link from your invitation email to activate your account.',
  invitation_not_found: 'This invitation link is not valid.',
  invitation_used: 'This invitation link was already used: sign in with your password.',
  invitation_expired: 'This invitation link has expired. Ask the recruiter for a new one.',
  invitation_revoked: 'This invitation was withdrawn.',
  too_many_attempts: 'Too many attempts. Wait a moment and try again.',
  invitation_quota_exceeded: 'Too many invitations today for this campaign.',
  campaign_not_found: 'This campaign does not exist or is not shared with you.',
  campaign_closed: 'This campaign is closed.',
  campaign_not_open: 'This campaign is closed: nobody can be invited any more.',
  campaign_not_active: 'This interview is not open right now.',
  campaign_not_started: 'This interview has not opened yet. Try again at its start time.',
  campaign_start_in_past: 'The start date must not be in the past.',
  campaign_end_not_after_start: 'The end date must be after the start date.',
  not_campaign_editor: 'Only the campaign owner or an editor can do this.',
  email_not_invitable: 'This address cannot be invited.',
  session_not_found: 'This interview does not exist or is not yours.',
  session_deadline_passed: 'The deadline for this interview has passed.',
  session_deadline_in_past: 'The deadline must be in the future.',
  session_not_in_progress: 'This interview is not in progress any more.',
  invalid_status_transition: 'This interview cannot change that way any more.',
  no_more_questions: 'Every question has been answered.',
  question_not_revealed: 'This question has not been shown to you yet.',
  think_time_not_over: 'Recording opens when the thinking time is over.',
  answer_window_closed: 'The answer time for this question is over.',
  max_takes_reached: 'No takes left for this question.',
  question_already_submitted: 'This question is already answered.',
  response_too_large: 'The recording is larger than this campaign allows.',
  recording_too_long: 'The recording is longer than the answer time.',
  recording_unreadable: 'The recording could not be read. Record again.',
  upload_mismatch: 'The upload did not arrive intact. Record again.',
  upload_too_late: 'The video arrived after the answer time was over.',
  upload_not_found: 'The video has not reached storage yet.',
  upload_changed: 'The video changed while it was checked; retrying.',
  multipart_incomplete: 'Part of the video is missing; resuming.',
  response_failed: 'This take failed. Record a new one.',
  response_not_uploaded: 'This take has not been uploaded yet.',
  unsupported_content_type: 'This browser records in a format the server does not accept.',
  video_deleted: 'This video was deleted at the end of its retention period.',
  score_final: 'This rating is final.',
  question_locked: 'Questions cannot change once someone has answered them.',
  collaborator_not_in_organization: 'Only members of your organization can be added.',
  privacy_notice_not_accepted: 'Accept the privacy notice before you start.',
  privacy_notice_changed: 'The privacy notice has changed: read it again and accept the new version.',
  placeholder_quota_exceeded: 'Too many new candidate accounts for now. Try again later.',
  camera_unavailable: 'The camera or microphone cannot be used. Allow access and reload.',
};

export function messageFor(error: unknown): string {
  if (isApiError(error)) return MESSAGES[error.code] ?? error.message;
  if (error instanceof Error) return MESSAGES[error.message] ?? error.message;
  return String(error);
}

export function codeOf(error: unknown): string | null {
  return isApiError(error) ? error.code : null;
}
