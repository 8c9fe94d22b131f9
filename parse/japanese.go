package parse

// jpSample bounds the decoded bytes inspected to decide the language
// (lang.Letters).
const jpSample = 64 << 10
