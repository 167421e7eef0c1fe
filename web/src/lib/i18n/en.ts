/**
 * English strings: the reference table. Every user-visible string of the web app
 * lives here (and in zh.ts, which the type checker holds to the same keys).
 * Placeholders are written {name} and filled by t(key, { name }).
 */
export const en = {
	'app.name': 'Image Panel',
	'app.loading': 'Loading the panel…',
	'app.skipToContent': 'Skip to main content',

	'lang.label': 'Language',
	'lang.en': 'English',
	'lang.zh': '简体中文',

	'theme.system': 'System',
	'theme.light': 'Light',
	'theme.dark': 'Dark',
	'theme.switch': 'Theme: {current}. Switch to {next}',

	'header.version': 'Server version {version}',

	'gate.title': 'Unlock the panel',
	'gate.intro': 'This panel is protected. Enter the access key to continue.',
	'gate.keyLabel': 'Access key',
	'gate.submit': 'Unlock',
	'gate.submitting': 'Unlocking…',
	'gate.empty': 'Enter the access key.',
	'gate.expired': 'Your session has ended. Enter the access key again to continue.',
	'gate.hint': 'The key is the ACCESS_KEY set by whoever runs this panel.',

	'offline.title': 'Cannot reach the panel',
	'offline.body': 'The server did not answer as expected. Check that it is running, then try again.',
	'offline.retry': 'Try again',
	'offline.retrying': 'Trying…',

	'compose.title': 'Compose',
	'compose.emptyTitle': 'Generation is not available yet',
	'compose.emptyBody':
		'The prompt editor, helper tags and image parameters will appear here in a coming version.',
	'preview.title': 'Preview',
	'preview.emptyTitle': 'No job yet',
	'preview.emptyBody': 'The running job, its stages and its results will show here.',
	'gallery.title': 'Gallery',
	'gallery.emptyTitle': 'No images yet',
	'gallery.emptyBody': 'Generated and imported images will be listed here.',

	'toast.region': 'Notifications',
	'toast.dismiss': 'Dismiss notification',

	'error.withStatus': '{detail} ({status})',
	'error.network': 'The server could not be reached.',
	'error.badJson': 'The server sent an answer that is not JSON.',
	'error.version': 'Could not load the server version: {detail}',

	'server.accessRequired': 'Access key required',
	'server.invalidKey': 'Invalid access key',
	'server.lockout': 'Too many failed attempts. Try again in {seconds} seconds.',

	'notFound.title': 'Page not found',
	'notFound.body': 'There is nothing at this address.',
	'notFound.home': 'Back to the panel',
	'error.pageTitle': 'Something went wrong'
} as const;

export type MessageKey = keyof typeof en;

/** The shape every other language table must have: exactly the keys of `en`. */
export type Messages = Record<MessageKey, string>;
