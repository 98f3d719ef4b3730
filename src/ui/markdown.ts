// Model output as Markdown (code blocks with a copy button, lists, tables,
// links), made safe: model output is untrusted. `marked` parses; raw HTML in the
// text is shown as text, and DOMPurify sanitises what remains (HTML profile
// only: no SVG, no MathML, no scripts, no event handlers, no javascript: or data: links).

import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const marked = new Marked({
  gfm: true,
  // Single newlines stay newlines in the text (shown by CSS), so a reply's text is kept as written.
  breaks: false,
  renderer: {
    // HTML the model writes is shown, never parsed.
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    code({ text, lang }: Tokens.Code) {
      const language = (lang ?? '').match(/^[\w+-]+/)?.[0] ?? '';
      const label = language ? ` data-lang="${escapeHtml(language)}"` : '';
      return (
        `<div class="code-block"${label}><button type="button" class="code-copy" data-copy-code>Copy</button>` +
        `<pre><code>${escapeHtml(text)}</code></pre></div>\n`
      );
    },
    // Images would fetch from anywhere (and fail offline): shown as links instead.
    image({ href, text }: Tokens.Image) {
      return `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`;
    },
  },
});

let hooked = false;

function purifier() {
  if (!hooked) {
    hooked = true;
    // Links leave the app in a new tab and tell the target nothing.
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A' && node.hasAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    });
  }
  return DOMPurify;
}

/** Sanitised HTML for untrusted Markdown. Leading and trailing whitespace is kept as text. */
export function renderMarkdown(text: string): string {
  const body = text.trim();
  if (body === '') return escapeHtml(text);
  const lead = text.slice(0, text.length - text.trimStart().length);
  const tail = text.slice(text.trimEnd().length);
  const html = (marked.parse(body, { async: false }) as string).trim();
  const clean = purifier().sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'img', 'form', 'input', 'textarea', 'select', 'iframe', 'object'],
    FORBID_ATTR: ['style'],
  });
  return escapeHtml(lead) + clean + escapeHtml(tail);
}
