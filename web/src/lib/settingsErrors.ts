/** The settings field a refused save names (spec/API.md §3.3, §7), to mark it invalid. */
export type RefusedField = 'api_url' | 'api_key' | 'socks5' | 'webhook' | 'optimizer' | 'r2' | null;

/**
 * Reads the server's English detail: the plaintext and env-ref sentences start with
 * the field's name ("SOCKS5 proxy URL must use ..."); flattened validation errors
 * start with its location ("r2_backup.key_prefix - ...").
 */
export function refusedField(detail: string): RefusedField {
	const text = detail.toLowerCase();
	if (text.startsWith('prompt_optimizer') || text.includes('prompt optimizer')) return 'optimizer';
	if (text.startsWith('r2_backup') || /\br2\b/.test(text)) return 'r2';
	if (text.includes('socks5')) return 'socks5';
	if (text.includes('webhook')) return 'webhook';
	if (text.startsWith('api_key') || text.startsWith('api key')) return 'api_key';
	if (text.startsWith('api_url') || text.startsWith('api url')) return 'api_url';
	return null;
}
