/** Registers every Hearth element; the app imports this once. */
export { HearthApp } from './app/hearth-app.js';
export { HearthBoard } from './board/hearth-board.js';
export { HearthComposer } from './composer/hearth-composer.js';
export { HearthCreateGroup } from './create-group/hearth-create-group.js';
export { HearthGroups } from './groups/hearth-groups.js';
export { HearthInvite } from './invite/hearth-invite.js';
export { HearthJoin } from './join/hearth-join.js';
export { HearthLock } from './lock/hearth-lock.js';
export { HearthMeetingBar } from './meeting-bar/hearth-meeting-bar.js';
export { HearthPassphrase } from './passphrase/hearth-passphrase.js';
export { HearthPost } from './post/hearth-post.js';
export { HearthQuickExit } from './quick-exit/hearth-quick-exit.js';
export { HearthSettings } from './settings/hearth-settings.js';
export { HearthVenue } from './venue/hearth-venue.js';
export { HearthWelcome } from './welcome/hearth-welcome.js';
