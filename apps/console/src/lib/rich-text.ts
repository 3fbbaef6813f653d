// The answer grammar lives in the protocol package, shared with the widget.
export { type Block, type Inline, parseInline, parseRichText, plainText } from '@kefu/protocol/rich-text';
