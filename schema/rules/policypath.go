package rules

// PolicyFilePath is the file Chalice reads for a policy file name from config.json
// (iam_policy_file, api_gateway_policy_file): os.path.join(project_dir, ".chalice",
// name), so an absolute name is taken as is. Document links and the missing-file
// checks share it.
func PolicyFilePath(projectDir, name string) string {
	return pyJoin(projectDir, ".chalice", name)
}
