import type { HandleClientError } from '@sveltejs/kit';

// An unknown address is an ordinary state with its own page (+error.svelte), not a
// fault: only unexpected errors go to the console.
export const handleError: HandleClientError = ({ error, status, message }) => {
	if (status !== 404) {
		console.error(error);
	}
	return { message };
};
