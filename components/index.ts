/**
 * Registers every Hearth element at once, for tests that render the app's views directly. The app
 * itself imports only hearth-app, which loads each view when it first shows it (app/views.ts).
 */
export { HearthApp } from './app/hearth-app.js';
export { HearthBoard } from './board/hearth-board.js';
export { HearthComposer } from './composer/hearth-composer.js';
export { HearthCreateGroup } from './create-group/hearth-create-group.js';
export { HearthGroups } from './groups/hearth-groups.js';
export { HearthInvite } from './invite/hearth-invite.js';
export { HearthJoin } from './join/hearth-join.js';
export { HearthLock } from './lock/hearth-lock.js';
export { HearthMeetingBar } from './meeting-bar/hearth-meeting-bar.js';
export { HearthMeetingMode } from './meeting/hearth-meeting-mode.js';
export { HearthPassphrase } from './passphrase/hearth-passphrase.js';
export { HearthPost } from './post/hearth-post.js';
export { HearthQuickExit } from './quick-exit/hearth-quick-exit.js';
export { HearthSettings } from './settings/hearth-settings.js';
export { HearthShelf } from './shelf/hearth-shelf.js';
export { HearthSupportAlerts } from './support/hearth-support-alerts.js';
export { HearthSupportNow } from './support/hearth-support-now.js';
export { HearthVenue } from './venue/hearth-venue.js';
export { HearthWelcome } from './welcome/hearth-welcome.js';
