package logicalid

import (
	"slices"
	"testing"

	"github.com/chalice-lsp/chalice-lsp/packager/predict"
	"github.com/chalice-lsp/chalice-lsp/packager/template"
)

func TestBuildAndSuggest(t *testing.T) {
	src := []byte(`{"Resources": {"APIHandler": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "app.app"}},
	 "DefaultRole": {"Type": "AWS::IAM::Role"}, "RestAPI": {"Type": "AWS::Serverless::Api"}}}`)
	tmpl, err := template.Parse("sam.json", src)
	if err != nil {
		t.Fatal(err)
	}
	pred := []predict.Resource{
		{LogicalID: "APIHandler", Type: predict.TypeFunction, Function: "api_handler"},
		{LogicalID: "NewWorker", Type: predict.TypeFunction, Function: "new_worker"},
	}
	fresh := Build(tmpl, false, pred)
	if fresh.Len() != 3 || fresh.Lookup("NewWorker") != nil {
		t.Fatalf("a fresh template is the truth: %+v", fresh.Entries)
	}
	if e := fresh.Lookup("APIHandler"); e == nil || e.Function != "api_handler" || e.Predicted || e.Resource == nil {
		t.Fatalf("packaged entry should carry the predicted function: %+v", e)
	}
	stale := Build(tmpl, true, pred)
	if e := stale.Lookup("NewWorker"); e == nil || !e.Predicted {
		t.Fatalf("a stale template is completed by predictions: %+v", stale.Entries)
	}
	if got := fresh.Suggest("ApiHandler", Any); len(got) == 0 || got[0] != "APIHandler" {
		t.Fatalf("case-insensitive match first: %v", got)
	}
	if got := fresh.Suggest("DefaultRol", Function); slices.Contains(got, "DefaultRole") {
		t.Fatalf("roles are not functions: %v", got)
	}
	if got := fresh.Suggest("DefualtRole", Role); len(got) != 1 || got[0] != "DefaultRole" {
		t.Fatalf("typo: %v", got)
	}
	onlyPred := Build(nil, false, pred)
	if onlyPred.Len() != 2 || !onlyPred.Lookup("APIHandler").Predicted {
		t.Fatalf("without a template everything is predicted: %+v", onlyPred.Entries)
	}
}

func TestCompleteIsBounded(t *testing.T) {
	pred := []predict.Resource{{LogicalID: "DefaultRole", Type: predict.TypeRole}}
	for _, id := range []string{"Alpha", "Beta", "Gamma", "AlphaTwo", "Omega", "Delta"} {
		pred = append(pred, predict.Resource{LogicalID: id, Type: predict.TypeFunction})
	}
	ix := Build(nil, false, pred)
	ids := func(es []*Entry) (out []string) {
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	// Within the bound: every entry of the kind, in index order, complete.
	if es, inc := ix.Complete("zz", Function, 6); inc || len(es) != 6 {
		t.Errorf("6 functions, limit 6: %v incomplete=%v", ids(es), inc)
	}
	if es, inc := ix.Complete("", Role, 1); inc || !slices.Equal(ids(es), []string{"DefaultRole"}) {
		t.Errorf("roles: %v incomplete=%v", ids(es), inc)
	}
	// Over it: what contains the typed text, prefixes first, cut at the limit,
	// and incomplete so that the client asks again.
	if es, inc := ix.Complete("al", Function, 3); !inc || !slices.Equal(ids(es), []string{"Alpha", "AlphaTwo"}) {
		t.Errorf("typed al: %v incomplete=%v", ids(es), inc)
	}
	if es, inc := ix.Complete("ta", Function, 3); !inc || !slices.Equal(ids(es), []string{"Beta", "Delta"}) {
		t.Errorf("typed ta: %v incomplete=%v", ids(es), inc)
	}
	if es, inc := ix.Complete("", Any, 3); !inc || len(es) != 3 {
		t.Errorf("nothing typed: %v incomplete=%v", ids(es), inc)
	}
}
