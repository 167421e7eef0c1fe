import type { Messages } from './en';

/** Simplified Chinese. Typed as Messages: a missing or extra key fails `npm run check`. */
export const zh: Messages = {
	'app.name': 'Image Panel',
	'app.loading': '正在加载面板…',
	'app.skipToContent': '跳到主要内容',

	'lang.label': '语言',
	'lang.en': 'English',
	'lang.zh': '简体中文',

	'theme.system': '跟随系统',
	'theme.light': '浅色',
	'theme.dark': '深色',
	'theme.switch': '主题：{current}。切换为{next}',

	'header.version': '服务器版本 {version}',

	'gate.title': '解锁面板',
	'gate.intro': '此面板受保护。请输入访问密钥以继续。',
	'gate.keyLabel': '访问密钥',
	'gate.submit': '解锁',
	'gate.submitting': '正在解锁…',
	'gate.empty': '请输入访问密钥。',
	'gate.expired': '会话已结束。请重新输入访问密钥以继续。',
	'gate.hint': '密钥即面板运行者设置的 ACCESS_KEY。',

	'offline.title': '无法连接面板',
	'offline.body': '服务器没有正常响应。请确认它正在运行，然后重试。',
	'offline.retry': '重试',
	'offline.retrying': '正在重试…',

	'compose.title': '创作',
	'compose.emptyTitle': '生成功能尚未开放',
	'compose.emptyBody': '提示词编辑器、辅助标签和图像参数将在后续版本中出现在这里。',
	'preview.title': '预览',
	'preview.emptyTitle': '暂无任务',
	'preview.emptyBody': '正在运行的任务、阶段和结果将显示在这里。',
	'gallery.title': '图库',
	'gallery.emptyTitle': '还没有图片',
	'gallery.emptyBody': '生成和导入的图片将列在这里。',

	'toast.region': '通知',
	'toast.dismiss': '关闭通知',

	'error.withStatus': '{detail}（{status}）',
	'error.network': '无法连接到服务器。',
	'error.badJson': '服务器返回的内容不是 JSON。',
	'error.version': '无法加载服务器版本：{detail}',

	'server.accessRequired': '需要访问密钥',
	'server.invalidKey': '访问密钥无效',
	'server.lockout': '失败次数过多。请在 {seconds} 秒后重试。',

	'notFound.title': '页面不存在',
	'notFound.body': '这个地址没有内容。',
	'notFound.home': '返回面板',
	'error.pageTitle': '出错了'
};
