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
