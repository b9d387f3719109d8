package construct

import (
	"fmt"
	"sort"
	"strings"
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

// closest suggests the candidate that matches id case-insensitively, or failing that
// the one with the smallest edit distance if it is close enough to be a typo.
func closest(id string, candidates []string) string {
	best, bestDist := "", len(id)/3+1
	for _, c := range candidates {
		if strings.EqualFold(c, id) {
			return c
		}
		if d := editDistance(strings.ToLower(id), strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
