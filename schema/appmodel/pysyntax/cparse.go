package pysyntax

/*
#cgo CFLAGS: -I${SRCDIR}/include -std=c11
#include <stdlib.h>
#include <stdint.h>
#include <tree_sitter/api.h>

// The tree-sitter library and the Python grammar are compiled into the
// binary by go-tree-sitter and tree-sitter-python; only their declarations
// are needed here (include/tree_sitter/api.h is a copy of go-tree-sitter
// v0.25.0's header, MIT licence).

typedef struct {
	uint16_t kind;
	uint16_t field;
	uint32_t start, end;
	uint32_t nchildren;
	uint8_t named, missing;
} flat_node;

static void use_libc_allocator(void) {
	ts_set_allocator(malloc, calloc, realloc, free);
}

static TSParser *new_parser(const void *lang) {
	TSParser *p = ts_parser_new();
	if (!ts_parser_set_language(p, (const TSLanguage *)lang)) {
		ts_parser_delete(p);
		return NULL;
	}
	return p;
}

static void delete_parser(TSParser *p) { ts_parser_delete(p); }

// parse_flat parses src and returns the tree in pre-order as a malloc'd
// array of *count nodes (NULL on failure). One call instead of several cgo
// calls per node keeps the keystroke path fast.
static flat_node *parse_flat(TSParser *p, const char *src, uint32_t len, uint32_t *count) {
	*count = 0;
	TSTree *tree = ts_parser_parse_string(p, NULL, src, len);
	if (!tree) return NULL;
	uint32_t cap = 1024, n = 0;
	flat_node *out = malloc(cap * sizeof(flat_node));
	if (!out) { ts_tree_delete(tree); return NULL; }
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&c);
		if (n == cap) {
			cap *= 2;
			flat_node *grown = realloc(out, cap * sizeof(flat_node));
			if (!grown) { free(out); out = NULL; break; }
			out = grown;
		}
		flat_node *f = &out[n++];
		f->kind = ts_node_symbol(node);
		f->field = ts_tree_cursor_current_field_id(&c);
		f->start = ts_node_start_byte(node);
		f->end = ts_node_end_byte(node);
		f->nchildren = ts_node_child_count(node);
		f->named = ts_node_is_named(node);
		f->missing = ts_node_is_missing(node);
		if (ts_tree_cursor_goto_first_child(&c)) continue;
		for (;;) {
			if (ts_tree_cursor_goto_next_sibling(&c)) break;
			if (!ts_tree_cursor_goto_parent(&c)) goto done;
		}
	}
done:
	ts_tree_cursor_delete(&c);
	ts_tree_delete(tree);
	*count = out ? n : 0;
	return out;
}
*/
import "C"

import (
	"unsafe"

	python "github.com/tree-sitter/tree-sitter-python/bindings/go"
)

// go-tree-sitter routes every allocation of the tree-sitter library through
// Go callbacks (C -> Go -> C.malloc), which made parsing several times
// slower. Its default callbacks only call the libc functions, so pointing
// tree-sitter straight at libc is equivalent, and memory allocated before the
// switch is still released by the same free().
func init() {
	C.use_libc_allocator()
}

type cParser = *C.TSParser

func newCParser() cParser {
	return C.new_parser(python.Language())
}

func deleteCParser(p cParser) { C.delete_parser(p) }

// parseFlat parses src with p and rebuilds the tree as Go nodes.
func parseFlat(p cParser, src []byte) *Node {
	var count C.uint32_t
	var ptr *C.char
	if len(src) > 0 {
		ptr = (*C.char)(unsafe.Pointer(&src[0]))
	} else {
		var empty [1]byte
		ptr = (*C.char)(unsafe.Pointer(&empty[0]))
	}
	flat := C.parse_flat(p, ptr, C.uint32_t(len(src)), &count)
	if flat == nil {
		return nil
	}
	if count == 0 {
		C.free(unsafe.Pointer(flat))
		return nil
	}
	defer C.free(unsafe.Pointer(flat))
	fs := unsafe.Slice(flat, int(count))
	nodes := make([]Node, len(fs))
	childPtrs := make([]*Node, 0, len(fs))
	// Pre-order with child counts: a stack of (node, children still to come).
	type open struct {
		n    *Node
		left int
	}
	stack := make([]open, 0, 64)
	for i := range fs {
		f := &fs[i]
		n := &nodes[i]
		if int(f.kind) < len(kinds) {
			n.Kind = kinds[f.kind]
		} else {
			n.Kind = "ERROR"
		}
		if int(f.field) < len(fields) {
			n.Field = fields[f.field]
		}
		n.Start, n.End = int(f.start), int(f.end)
		n.Named, n.Missing = f.named != 0, f.missing != 0
		if len(stack) > 0 {
			top := &stack[len(stack)-1]
			n.Parent = top.n
			top.n.Children = append(top.n.Children, n)
			top.left--
		}
		if f.nchildren > 0 {
			k := int(f.nchildren)
			if len(childPtrs)+k <= cap(childPtrs) {
				n.Children = childPtrs[len(childPtrs) : len(childPtrs) : len(childPtrs)+k]
				childPtrs = childPtrs[:len(childPtrs)+k]
			}
			stack = append(stack, open{n, k})
		}
		for len(stack) > 0 && stack[len(stack)-1].left == 0 {
			stack = stack[:len(stack)-1]
		}
	}
	return &nodes[0]
}
