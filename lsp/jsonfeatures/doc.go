// Package jsonfeatures gives .chalice/config.json the structural editor features
// VS Code's JSON language service gives any JSON file: document symbols (outline and
// breadcrumbs), folding ranges, selection ranges, formatting and links to the policy
// files the config names.
//
// Every function is pure: bytes and the position-aware tree of schema/jsonpos (which
// may be partial for a half-typed document) plus options in, byte offsets out. The
// language server converts offsets to positions in the negotiated encoding at the edge.
//
// Behaviour follows vscode-json-languageservice (jsonDocumentSymbols, jsonFolding,
// jsonSelectionRanges) and jsonc-parser's formatter with keepLines, so users who
// lose VS Code's JSON features on config.json (the extension gives it its own
// language id) get the same results from chalice-lsp. Differences are deliberate
// and documented at each function.
package jsonfeatures
