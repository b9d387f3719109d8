package settings

import (
	"testing"
	"time"
)

func TestInitOptions(t *testing.T) {
	s := Defaults()
	probs := ParseInitOptions(&s, []byte(`{"workspaceTrusted":true,"settings":{"python":"/usr/bin/python3","packaging":{"automatic":false,"timeoutSeconds":12}},"logLevel":"debug","stage":7}`))
	if !s.Trusted || s.Python != "/usr/bin/python3" || s.AutoPackage == nil || *s.AutoPackage || s.PackageTimeout != 12*time.Second || s.LogLevel != "debug" {
		t.Fatalf("settings not applied: %+v", s)
	}
	if len(probs) != 1 {
		t.Fatalf("want one problem (stage: 7), got %q", probs)
	}
	if s.AutomaticPackaging() {
		t.Fatal("packaging.automatic=false must win over trust")
	}
}

func TestTrustGate(t *testing.T) {
	s := Defaults()
	if s.AutomaticPackaging() {
		t.Fatal("untrusted workspace must not package automatically by default")
	}
	ParseSection(&s, []byte(`{"chalice":{"packaging.automatic":true}}`))
	if !s.AutomaticPackaging() {
		t.Fatal("user enabled automatic packaging")
	}
	ParseSection(&s, []byte(`{"packaging":{"automatic":null}}`))
	if s.AutomaticPackaging() {
		t.Fatal("null resets to trust-gated")
	}
}

func TestBadJSON(t *testing.T) {
	s := Defaults()
	if p := ParseSection(&s, []byte(`[1]`)); len(p) != 1 {
		t.Fatalf("want a problem for a non-object, got %q", p)
	}
	if p := ParseInitOptions(&s, nil); p != nil {
		t.Fatalf("empty options: %q", p)
	}
}

// A timeout beyond what time.Duration holds used to overflow to a negative value
// and fall back to the default silently.
func TestTimeoutOverflowIsClampedWithAWarning(t *testing.T) {
	s := Defaults()
	probs := ParseSection(&s, []byte(`{"packaging":{"timeoutSeconds":1e10}}`))
	if s.PackageTimeout != MaxTimeoutSeconds*time.Second {
		t.Errorf("timeout %v, want the maximum %v", s.PackageTimeout, MaxTimeoutSeconds*time.Second)
	}
	if len(probs) != 1 {
		t.Errorf("want one warning, got %q", probs)
	}
}

func TestCodeLensAppIDs(t *testing.T) {
	s := Defaults()
	if s.AppIDLenses != "auto" {
		t.Fatalf("default codeLens.appIds: %q", s.AppIDLenses)
	}
	if probs := ParseInitOptions(&s, []byte(`{"settings":{"codeLens":{"appIds":"always"}}}`)); len(probs) != 0 || s.AppIDLenses != "always" {
		t.Fatalf("nested codeLens.appIds: %q %q", s.AppIDLenses, probs)
	}
	if probs := ParseInitOptions(&s, []byte(`{"settings":{"codeLens.appIds":"sometimes"}}`)); len(probs) != 1 || s.AppIDLenses != "always" {
		t.Fatalf("a bad codeLens.appIds must be reported and ignored: %q %q", s.AppIDLenses, probs)
	}
}
