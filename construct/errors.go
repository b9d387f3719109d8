package construct

import (
	"fmt"
	"sort"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/schema/suggest"
)

// UnknownLogicalIDError says that a logical ID given to GetResource, GetRole,
// GetFunction, AddEnvironmentVariable or a Lookup method is not in the Chalice
// template, and lists the IDs that are.
type UnknownLogicalIDError struct {
	// Path is the construct path of the Chalice construct.
	Path string
	// LogicalID is the ID that was asked for.
	LogicalID string
	// Want is the resource type the caller needed ("AWS::IAM::Role",
	// "AWS::Serverless::Function"), or "" for any type.
	Want string
	// Got is the type of the resource when the ID exists but has the wrong type.
	Got string
	// Existing maps every logical ID of the template (original Chalice IDs, even when
	// PreserveLogicalIds is false) to its resource type.
	Existing map[string]string
	// NotPackaged holds the packaging error when the app could not be packaged, in
	// which case the template has no IDs at all.
	NotPackaged error
}

// Error implements error. The message names the construct, what was wrong and the
// IDs that would work.
func (e *UnknownLogicalIDError) Error() string {
	var b strings.Builder
	switch {
	case e.NotPackaged != nil:
		fmt.Fprintf(&b, "Chalice construct %s: cannot look up %q because the app was not packaged: %v", e.Path, e.LogicalID, e.NotPackaged)
		return b.String()
	case e.Got != "":
		fmt.Fprintf(&b, "Chalice construct %s: resource %q is %s, not %s", e.Path, e.LogicalID, e.Got, e.Want)
	default:
		fmt.Fprintf(&b, "Chalice construct %s: the Chalice template has no resource %q", e.Path, e.LogicalID)
	}
	ids := e.candidates()
	if len(ids) == 0 {
		if e.Want != "" {
			fmt.Fprintf(&b, "; it has no %s at all", e.Want)
		}
		return b.String()
	}
	kind := "resources"
	if e.Want != "" {
		kind = e.Want + " resources"
	}
	fmt.Fprintf(&b, "; its %s are: %s", kind, strings.Join(ids, ", "))
	if e.Got == "" {
		if s := closest(e.LogicalID, ids); s != "" {
			fmt.Fprintf(&b, " (did you mean %q?)", s)
		}
		b.WriteString(". Logical IDs are the original ones from `chalice package` (such as APIHandler, DefaultRole), also when PreserveLogicalIds is false; LogicalIDFor turns a handler name into its ID")
	}
	return b.String()
}

// candidates are the IDs of the wanted type (all IDs when no type is wanted), sorted.
func (e *UnknownLogicalIDError) candidates() []string {
	var ids []string
	for id, typ := range e.Existing {
		if e.Want == "" || typ == e.Want {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// closest suggests the candidate that looks most like a misspelling of id ("" when
// none does), ranked the same way as every other did-you-mean in chalice-lsp.
func closest(id string, candidates []string) string {
	if best := suggest.Closest(id, candidates, 1); len(best) > 0 {
		return best[0]
	}
	return ""
}
