package jsonpos

import "strconv"

// Location says what is at a byte offset of a document: which object the offset is
// in and whether it is on a member's key or value. Completion and hover start here.
type Location struct {
	// Path holds the keys (array indexes in decimal) from the root to Container.
	Path []string
	// Container is the innermost object or array whose brackets hold the offset,
	// nil when the offset is outside the root value.
	Container *Node
	// Member is the member of Container whose key or value holds the offset.
	Member *Member
	// InKey is true when the offset is on Member's key token, InValue when it is on
	// its (scalar) value. Both are false between members.
	InKey, InValue bool
	// Node is the innermost node holding the offset (a scalar value, or Container).
	Node *Node
}

// Locate finds what is at offset in the tree rooted at root. It works on incomplete
// trees from documents with syntax errors.
func Locate(root *Node, offset int) Location {
	var loc Location
	cur := root
	for cur != nil && (cur.Kind == Object || cur.Kind == Array) && cur.Contains(offset) {
		// The bracket itself and the position right after the closing bracket
		// belong to the parent.
		if offset <= cur.Start || (offset >= cur.End && !cur.unclosed) {
			break
		}
		loc.Container, loc.Node, loc.Member, loc.InKey, loc.InValue = cur, cur, nil, false, false
		var next *Node
		if cur.Kind == Object {
			for i := range cur.Members {
				m := &cur.Members[i]
				if offset >= m.KeyStart && offset <= m.KeyEnd {
					loc.Member, loc.InKey = m, true
					return loc
				}
				if m.Value != nil && m.Value.Contains(offset) {
					loc.Member = m
					if m.Value.Kind == Object || m.Value.Kind == Array {
						next = m.Value
						loc.Path = append(loc.Path, m.Key)
					} else {
						loc.InValue, loc.Node = true, m.Value
						return loc
					}
					break
				}
			}
		} else {
			for i, e := range cur.Elems {
				if e.Contains(offset) {
					if e.Kind == Object || e.Kind == Array {
						next = e
						loc.Path = append(loc.Path, strconv.Itoa(i))
					} else {
						loc.Node = e
						return loc
					}
					break
				}
			}
		}
		if next == nil {
			return loc
		}
		cur = next
	}
	if loc.Container != nil && cur != loc.Container {
		// The offset sat on the bracket of a child container: report the member
		// that holds it, as on a value.
		loc.InValue = loc.Member != nil
		if loc.Member != nil && len(loc.Path) > 0 {
			loc.Path = loc.Path[:len(loc.Path)-1]
		}
	}
	return loc
}
