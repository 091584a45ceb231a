/** Text made safe inside HTML elements and double-quoted attributes (index.html, the diagnosis, the sweep index). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
