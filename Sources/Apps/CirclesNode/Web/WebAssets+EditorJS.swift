extension WebAssets {
    /// `editor.js`: the playground's script editor (a textarea with line numbers and an error mark).
    static let editorJS = ##"""
// The playground's editor: a plain textarea with a line-number gutter, indentation keys, and a mark
// on the line and column of an execution error.

export class ScriptEditor {
  #textarea;
  #gutter;
  #errorLine;
  #errorCaret;
  #lines = 0;
  #error = null;

  constructor({ textarea, gutter, errorLine, errorCaret, onRun, onChange }) {
    this.#textarea = textarea;
    this.#gutter = gutter;
    this.#errorLine = errorLine;
    this.#errorCaret = errorCaret;
    textarea.addEventListener("input", () => {
      this.clearError();
      this.#render();
      onChange?.(this.value);
    });
    textarea.addEventListener("scroll", () => this.#sync());
    textarea.addEventListener("keydown", (event) => this.#key(event, onRun));
    new ResizeObserver(() => this.#sync()).observe(textarea);
    this.#render();
  }

  get value() { return this.#textarea.value; }

  set value(text) {
    this.#textarea.value = text;
    this.clearError();
    this.#render();
  }

  focus() { this.#textarea.focus(); }

  /** Marks `line` (1-based) and, when known, `column`; puts the cursor there. */
  markError(line, column) {
    this.clearError();
    if (!Number.isInteger(line) || line < 1) return;
    const target = Math.min(line, this.#lines);
    this.#error = { line: target, column: Number.isInteger(column) && column > 0 ? column : null };
    this.#gutter.children[target - 1]?.classList.add("error");
    this.#textarea.closest(".editor")?.setAttribute("data-error-line", String(target));
    this.#errorLine.hidden = false;
    this.#errorCaret.hidden = this.#error.column === null;
    const lines = this.value.split("\n");
    let offset = 0;
    for (let i = 0; i < target - 1; i++) offset += lines[i].length + 1;
    offset += Math.min((this.#error.column ?? 1) - 1, lines[target - 1]?.length ?? 0);
    this.#textarea.focus({ preventScroll: true });
    this.#textarea.setSelectionRange(offset, offset);
    this.#sync();
  }

  clearError() {
    if (!this.#error) return;
    this.#gutter.querySelector(".error")?.classList.remove("error");
    this.#textarea.closest(".editor")?.removeAttribute("data-error-line");
    this.#errorLine.hidden = true;
    this.#errorCaret.hidden = true;
    this.#error = null;
  }

  #render() {
    const count = this.value.split("\n").length;
    while (this.#lines < count) {
      this.#lines += 1;
      const number = document.createElement("div");
      number.textContent = String(this.#lines);
      number.dataset.line = String(this.#lines);
      this.#gutter.append(number);
    }
    while (this.#lines > count) {
      this.#gutter.lastElementChild?.remove();
      this.#lines -= 1;
    }
    this.#sync();
  }

  #sync() {
    const textarea = this.#textarea;
    this.#gutter.scrollTop = textarea.scrollTop;
    if (!this.#error) return;
    const style = getComputedStyle(textarea);
    const lineHeight = parseFloat(style.lineHeight) || 20;
    const top = parseFloat(style.paddingTop) + (this.#error.line - 1) * lineHeight - textarea.scrollTop;
    this.#errorLine.style.height = `${lineHeight}px`;
    this.#errorLine.style.transform = `translateY(${top}px)`;
    if (this.#error.column !== null) {
      const left = `calc(${parseFloat(style.paddingLeft) - textarea.scrollLeft}px + ${this.#error.column - 1}ch)`;
      this.#errorCaret.style.height = `${lineHeight}px`;
      this.#errorCaret.style.transform = `translateY(${top}px)`;
      this.#errorCaret.style.left = left;
    }
  }

  #key(event, onRun) {
    const textarea = this.#textarea;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onRun?.();
      return;
    }
    if (event.key === "Tab" && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      const { selectionStart: start, selectionEnd: end, value } = textarea;
      if (event.shiftKey) {
        const lineStart = value.lastIndexOf("\n", start - 1) + 1;
        const removed = value.startsWith("  ", lineStart) ? 2 : value.startsWith(" ", lineStart) ? 1 : 0;
        if (removed === 0) return;
        textarea.setRangeText("", lineStart, lineStart + removed, "preserve");
        textarea.setSelectionRange(Math.max(lineStart, start - removed), Math.max(lineStart, end - removed));
      } else {
        textarea.setRangeText("  ", start, end, "end");
      }
      textarea.dispatchEvent(new Event("input"));
      return;
    }
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      const { selectionStart: start, selectionEnd: end, value } = textarea;
      const lineStart = value.lastIndexOf("\n", start - 1) + 1;
      const indent = /^[ \t]*/.exec(value.slice(lineStart, start))[0];
      const opens = /[{[(]\s*$/.test(value.slice(lineStart, start));
      event.preventDefault();
      textarea.setRangeText(`\n${indent}${opens ? "  " : ""}`, start, end, "end");
      textarea.dispatchEvent(new Event("input"));
    }
  }
}
"""##
}
