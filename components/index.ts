/** Registers every Hearth element; the app imports this once. */
export { HearthApp } from './app/hearth-app.js';
export { HearthBoard } from './board/hearth-board.js';
export { HearthComposer } from './composer/hearth-composer.js';
export { HearthCreateGroup } from './create-group/hearth-create-group.js';
export { HearthGroups } from './groups/hearth-groups.js';
export { HearthInvite } from './invite/hearth-invite.js';
export { HearthJoin } from './join/hearth-join.js';
export { HearthMeetingBar } from './meeting-bar/hearth-meeting-bar.js';
export { HearthPost } from './post/hearth-post.js';
export { HearthWelcome } from './welcome/hearth-welcome.js';
