package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/chalice-lsp/chalice-lsp/schema"
	"github.com/chalice-lsp/chalice-lsp/schema/appmodel"
	"github.com/chalice-lsp/chalice-lsp/schema/diag"
	"github.com/chalice-lsp/chalice-lsp/schema/effective"
	"github.com/chalice-lsp/chalice-lsp/schema/jsonpos"
	"github.com/chalice-lsp/chalice-lsp/schema/naming"
	"github.com/chalice-lsp/chalice-lsp/schema/suggest"
)

// checkFunctionKeys reports lambda_functions keys that match no handler. Skipped when
// app.py is unknown or has syntax errors (handlers in a broken region are missing),
// or when the app object is built by code the parser cannot follow.
func (c *checker) checkFunctionKeys() {
	if c.app == nil || c.appIncomplete || c.app.HandlersUnknown != "" {
		return
	}
	known := map[string]bool{}
	for _, n := range c.app.FunctionNames() {
		known[n] = true
	}
	check := func(lf *jsonpos.Node, inOverlay bool) {
		for i := range members(lf) {
			m := &lf.Members[i]
			if !known[m.Key] && !schema.IsSettingName(m.Key) { // the schema says where a misplaced key belongs
				c.reportFunctionKey(m, known, inOverlay)
			}
		}
	}
	root := object(c.root)
	check(object(root.Get("lambda_functions")), false)
	if c.opts.UserMode != effective.UserParams {
		check(object(object(c.user).Get("lambda_functions")), true)
	}
	checked := map[string]bool{}
	for _, s := range c.stages {
		checked[s] = true
	}
	for _, sm := range members(root.Get("stages")) {
		if checked[sm.Key] {
			check(object(object(sm.Value).Get("lambda_functions")), false)
		}
	}
}

func (c *checker) reportFunctionKey(m *jsonpos.Member, known map[string]bool, inOverlay bool) {
	key := m.Key
	report := func(code, msg string, sugg ...string) {
		var qs []string
		for _, s := range sugg {
			qs = append(qs, suggest.Quote(s))
		}
		c.reportAt(inOverlay, m.KeyStart, m.KeyEnd, code, diag.Warning, msg, qs, "", "")
	}
	for _, h := range c.app.Handlers {
		if h.PyFunc != key {
			continue
		}
		if h.Kind == appmodel.KindRoute {
			report(CodeRouteFunctionName, fmt.Sprintf("%s is a route view: all @%s.route views run in one Lambda function, "+
				"which Chalice configures as \"api_handler\"; Chalice ignores this entry", key, orApp(c.app.AppVar)), effective.APIHandler)
			return
		}
		report(CodeUnknownFunction, fmt.Sprintf("%s is the Python function name; Chalice configures this handler as %q, "+
			"so it ignores this entry", key, h.Name), h.Name)
		return
	}
	// The deployed name <app>-<stage>-<name> (aws/chalice#1113).
	if c.app.AppName != "" && strings.HasPrefix(key, c.app.AppName+"-") {
		for name := range known {
			if strings.HasSuffix(key, "-"+name) {
				report(CodeUnknownFunction, fmt.Sprintf("lambda_functions takes the short function name, not the deployed name "+
					"<app>-<stage>-<name>; use %q (Chalice ignores this entry)", name), name)
				return
			}
		}
	}
	names := make([]string, 0, len(known))
	for n := range known {
		names = append(names, n)
	}
	sort.Strings(names)
	msg := fmt.Sprintf("no handler in app.py is configured as %q; Chalice ignores this entry", key)
	sugg := suggest.Closest(key, names, 3)
	if len(sugg) > 0 {
		msg += fmt.Sprintf("; did you mean %q?", sugg[0])
	}
	switch {
	case len(names) == 0:
		msg += " (app.py has no handlers)"
	case len(names) <= 10:
		msg += " (functions: " + strings.Join(names, ", ") + ")"
	}
	report(CodeUnknownFunction, msg, sugg...)
}

func orApp(v string) string {
	if v == "" {
		return "app"
	}
	return v
}

// eventSuffix is the resource name suffix of a handler's event entry, which
// chalice package also turns into a logical ID (appgraph, package.py).
var eventSuffix = map[appmodel.HandlerKind]string{
	appmodel.KindSchedule: "-event",
	appmodel.KindCWEvent:  "-event",
	appmodel.KindSNS:      "-sns-subscription",
	appmodel.KindSQS:      "-sqs-event-source",
	appmodel.KindKinesis:  "-kinesis-event-source",
	appmodel.KindDynamoDB: "-dynamodb-event-source",
}

// checkApp reports problems located in Python files.
func (c *checker) checkApp() {
	if c.app == nil {
		return
	}
	if a := c.app; a.MisnamedEnd > a.MisnamedStart {
		c.addApp(a.AppFile, diag.Diagnostic{Start: a.MisnamedStart, End: a.MisnamedEnd, Severity: diag.Error, Code: CodeAppNotNamedApp,
			Message: fmt.Sprintf("Chalice loads the Chalice object from the module attribute app of app.py (getattr(app, 'app') in chalice/cli/factory.py), "+
				"but app.py binds it to %s, so every chalice command fails with AttributeError; name it app (or add app = %s)", a.AppVar, a.AppVar)})
	}
	for _, h := range c.app.Handlers {
		if h.Kind == appmodel.KindS3Event {
			d := diag.Diagnostic{Start: h.DecoStart, End: h.DecoEnd, Severity: diag.Error, Code: CodeS3EventUnsupported,
				Message: "chalice package cannot package @" + orApp(c.app.AppVar) + ".on_s3_event handlers (NotImplementedError, aws/chalice#1823), " +
					"and a CDK construct or chalice-lsp's packager packages this app, so packaging fails; use @app.on_cw_event with S3 EventBridge " +
					"notifications, or @app.lambda_function and add the bucket notification in your CDK code"}
			if !c.opts.Packaged {
				d.Severity = diag.Information
				d.Message = "`chalice deploy` supports @" + orApp(c.app.AppVar) + ".on_s3_event, but `chalice package` (and so every CDK construct) " +
					"cannot package it (NotImplementedError, aws/chalice#1823); nothing here packages this app, so this only matters if you move to CDK"
			}
			c.addApp(h.File, d)
		}
	}
	c.checkLogicalIDs()
}

// idUse is one resource name that chalice package registers as a logical ID.
type idUse struct {
	resource string // the Chalice resource name ("foo_bar", "foo_bar-event")
	h        *appmodel.Handler
}

// checkLogicalIDs mirrors SAMTemplateGenerator._register_cfn_resource_name for the
// names that app.py alone decides: one function per handler (all routes share
// api_handler) and the event entry of event handlers.
func (c *checker) checkLogicalIDs() {
	byID := map[string][]idUse{}
	var ids []string
	seenRoute := false
	add := func(resource string, h *appmodel.Handler) {
		id := naming.LogicalID(resource)
		if _, ok := byID[id]; !ok {
			ids = append(ids, id)
		}
		byID[id] = append(byID[id], idUse{resource, h})
	}
	for i := range c.app.Handlers {
		h := &c.app.Handlers[i]
		if h.Name == "" {
			continue
		}
		if h.Kind == appmodel.KindRoute {
			if !seenRoute {
				seenRoute = true
				add(effective.APIHandler, h)
			}
			continue
		}
		if h.Kind == appmodel.KindS3Event {
			continue // reported as unsupported; SAM output never gets that far
		}
		add(h.Name, h)
		if suf, ok := eventSuffix[h.Kind]; ok {
			add(h.Name+suf, h)
		}
	}
	for _, id := range ids {
		uses := byID[id]
		if id == "" {
			for _, u := range uses {
				c.addApp(u.h.File, diag.Diagnostic{Start: u.h.NameStart, End: u.h.NameEnd, Severity: diag.Error, Code: CodeEmptyLogicalID,
					Message: fmt.Sprintf("the handler name %q has no letters or digits, so its CloudFormation logical ID is empty and chalice package "+
						"produces an invalid template; give it a name with letters (name=...)", u.resource)})
			}
			continue
		}
		if len(uses) < 2 {
			continue
		}
		for i, u := range uses {
			if u.h.Kind == appmodel.KindRoute {
				continue // api_handler: report on the handler that collides with it
			}
			var others []string
			for j, o := range uses {
				if j != i {
					others = append(others, describeUse(o))
				}
			}
			start, end := u.h.NameStart, u.h.NameEnd
			if u.h.NameArgEnd > u.h.NameArgStart {
				start, end = u.h.NameArgStart, u.h.NameArgEnd
			}
			c.addApp(u.h.File, diag.Diagnostic{Start: start, End: end, Severity: diag.Error, Code: CodeDuplicateLogicalID,
				Message: fmt.Sprintf("%s becomes the CloudFormation logical ID %s, and so does %s: chalice package stops with "+
					"\"A duplicate resource name was generated for the SAM template: %s\"; rename one of them",
					describeUse(u), id, listAnd(others), id)})
		}
	}
}

// describeUse names a resource for the duplicate-ID message.
func describeUse(u idUse) string {
	switch {
	case u.h.Kind == appmodel.KindRoute:
		return "the route handler \"api_handler\""
	case u.resource != u.h.Name:
		return fmt.Sprintf("the event entry %q of handler %q (def %s)", u.resource, u.h.Name, u.h.PyFunc)
	}
	return fmt.Sprintf("handler %q (def %s)", u.resource, u.h.PyFunc)
}
