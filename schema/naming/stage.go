package naming

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
)

// MaxStageNameLen bounds a derived stage name. Chalice puts the stage into the managed
// layer name "<app>-<stage>-managed-layer", which Lambda limits to 140 characters, and
// into the websocket API name and the aws-chalice tag; 64 leaves room for the app name.
const MaxStageNameLen = 64

// DefaultStageName is used when a construct path is empty or sanitises to nothing.
const DefaultStageName = "dev"

var stageUnsafe = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// StageNameFromPath turns a CDK construct path such as "Prod/ApiStack" into a Chalice
// stage name that is valid everywhere Chalice uses it: as a key of config.json
// "stages", in the managed layer name (only [A-Za-z0-9_-] allowed, chalice #1985), in
// the websocket API name and in the aws-chalice tag. Every run of other characters
// ("/" in nested paths, spaces, dots) becomes a single "-"; leading and trailing "-"
// are dropped; an empty result is "dev". Names longer than 64 characters are cut and
// given a short hash of the full path so that distinct paths stay distinct.
//
// The Go construct (construct.StageNameFromPath) and the language server both use it.
func StageNameFromPath(path string) string {
	s := strings.Trim(stageUnsafe.ReplaceAllString(path, "-"), "-")
	if s == "" {
		return DefaultStageName
	}
	if len(s) > MaxStageNameLen {
		sum := sha256.Sum256([]byte(path))
		suffix := hex.EncodeToString(sum[:])[:8]
		s = strings.TrimRight(s[:MaxStageNameLen-len(suffix)-1], "-") + "-" + suffix
	}
	return s
}
