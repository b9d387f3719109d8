;;; eglot-test.el --- chalice-lsp driven by a real eglot, headless  -*- lexical-binding: t; -*-

;; Each step is what a user does in Emacs with eglot: open the file, read the
;; diagnostics flymake shows, complete with `completion-at-point' (eglot's capf and
;; its exit function, which applies the item's textEdit), hover, jump to a
;; definition (xref), apply a quick fix and run a code action.  Failures are
;; collected; the exit status is their count (0 = all passed).

(require 'eglot)
(require 'json)
(require 'xref)
(require 'flymake)

(defvar chalice-eglot-failures nil)

(defun chalice-eglot--fail (fmt &rest args)
  (let ((msg (apply #'format fmt args)))
    (push msg chalice-eglot-failures)
    (message "FAIL %s" msg)))

(defmacro chalice-eglot-step (name &rest body)
  (declare (indent 1))
  `(condition-case err
       (progn ,@body (message "ok   %s" ,name))
     (error (chalice-eglot--fail "%s: %s" ,name (error-message-string err)))))

(defun chalice-eglot--wait (what pred &optional secs)
  "Process server output until PRED holds; fail after SECS (a safety net only)."
  (let ((deadline (+ (float-time) (or secs 60))))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (unless (funcall pred) (error "timed out waiting for %s" what))))

(defun chalice-eglot--start (file mode bin root)
  "Visit FILE in MODE and connect eglot to BIN serve for the project ROOT."
  (find-file file)
  (funcall mode)
  (let ((eglot-sync-connect t)
        (eglot-connect-timeout 60))
    (eglot (list mode) (cons 'transient root) 'eglot-lsp-server
           (list bin "serve" :initializationOptions '(:workspaceTrusted :json-false))
           (symbol-name mode)))
  (chalice-eglot--wait "eglot to manage the buffer" (lambda () (eglot-managed-p)))
  (eglot-current-server))

(defun chalice-eglot--capf-accept (label)
  "Complete at point like `completion-at-point' would and accept LABEL.
Returns the candidates the user would see."
  (let* ((capf (eglot-completion-at-point))
         (beg (nth 0 capf)) (end (nth 1 capf)) (table (nth 2 capf))
         (props (nthcdr 3 capf))
         (cands (all-completions (buffer-substring-no-properties beg end) table))
         (proxy (car (member label cands))))
    (when proxy
      ;; What completion-in-region does: replace the typed word with the choice,
      ;; then eglot's exit function applies the item's textEdit.
      (delete-region beg end)
      (goto-char beg)
      (insert proxy)
      (funcall (plist-get props :exit-function) proxy 'finished))
    cands))

(defun chalice-eglot--diag-at (code)
  (cl-find-if (lambda (d) (string-match-p (regexp-quote code) (flymake-diagnostic-text d)))
              (flymake-diagnostics)))

(defun chalice-eglot-test-run (ws bin)
  (setq eglot-events-buffer-size 0)
  (let* ((cfg (expand-file-name "runtime/.chalice/config.json" ws))
         (stack (expand-file-name "python-infrastructure/stacks/chaliceapp.py" ws))
         server)
    ;; config.json with a mistake after astral characters on the same line.
    (with-temp-file cfg
      (insert "{\n  \"version\": \"2.0\",\n  \"app_name\": \"chalice-example\",\n"
              "  \"tags\": {\"owner\": \"🐍𝄞\"}, \"lamda_timeout\": 30,\n"
              "  \"stages\": {\n    \"dev\": {\n      \"api_gateway_stage\": \"api\",\n"
              "      \"lambda_functions\": {\"api_handler\": {\"lambda_memory_size\": 256}}\n    }\n  }\n}\n"))
    (chalice-eglot-step "connect (config.json)"
      (setq server (chalice-eglot--start cfg 'js-mode bin ws)))
    (unless server (kill-emacs 1))

    (chalice-eglot-step "diagnostic at the right column (after astral characters)"
      (flymake-start)
      (chalice-eglot--wait "the unknown-key diagnostic" (lambda () (chalice-eglot--diag-at "unknown key")))
      (let ((d (chalice-eglot--diag-at "unknown key")))
        (goto-char (point-min))
        (search-forward "\"lamda_timeout\"")
        (unless (and (= (flymake-diagnostic-beg d) (match-beginning 0))
                     (= (flymake-diagnostic-end d) (match-end 0)))
          (error "diagnostic spans %d-%d, the key is at %d-%d"
                 (flymake-diagnostic-beg d) (flymake-diagnostic-end d) (match-beginning 0) (match-end 0)))))

    (chalice-eglot-step "hover is plain text for a plaintext client"
      (goto-char (point-min))
      (search-forward "\"api_gateway_st")
      (let* ((h (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams)))
             (contents (plist-get h :contents))
             (value (if (stringp contents) contents (plist-get contents :value))))
        (unless (string-match-p "api_gateway_stage" value) (error "hover: %S" value))
        (when (and (not (fboundp 'gfm-view-mode)) (string-match-p "\\*\\*\\|```\\|`" value))
          (error "eglot asked for plaintext and got markdown source: %S" value))))

    (chalice-eglot-step "definition of a lambda_functions entry goes to app.py (xref)"
      (goto-char (point-min))
      (search-forward "\"api_hand")
      (let ((defs (xref-backend-definitions 'eglot (xref-backend-identifier-at-point 'eglot))))
        (unless (and defs (string-suffix-p "runtime/app.py" (xref-location-group (xref-item-location (car defs)))))
          (error "definitions: %S" defs))))

    (chalice-eglot-step "quick fix replaces the misspelt key"
      (goto-char (point-min))
      (search-forward "\"lamda_timeout\"")
      (let ((beg (match-beginning 0)) (end (match-end 0)))
        (let ((acts (eglot-code-actions beg end "quickfix")))
          (unless acts (error "no quick fix"))
          (eglot--read-execute-code-action (list (car acts)) server "quickfix")))
      (chalice-eglot--wait "the edit" (lambda () (save-excursion (goto-char (point-min)) (search-forward "\"lambda_timeout\": 30" nil t)))))

    (chalice-eglot-step "key completion: absent keys only, valid JSON after accepting"
      ;; An auto-closed "lam" with another member on the next line.
      (goto-char (point-min))
      (search-forward "  \"stages\"")
      (beginning-of-line)
      (insert "  \"lam\"\n")
      (search-backward "lam\"")
      (forward-char 3)
      (let ((cands (chalice-eglot--capf-accept "lambda_memory_size")))
        (dolist (present '("version" "app_name" "tags" "stages" "lambda_timeout"))
          (when (member present cands) (error "offers %s, which the object already has: %S" present cands)))
        (unless (member "lambda_memory_size" cands) (error "lambda_memory_size not offered: %S" cands)))
      (let ((obj (json-parse-string (buffer-substring-no-properties (point-min) (point-max)))))
        (unless (gethash "lambda_memory_size" obj) (error "accepted key missing: %s" (buffer-string)))))

    (chalice-eglot-step "Package & preview template as a code action (config.json)"
      (goto-char (point-min))
      (let* ((acts (eglot-code-actions (point) (point) "source.chalice"))
             (pkg (cl-find-if (lambda (a) (string-prefix-p "Package & preview template" (plist-get a :title))) acts))
             (cmd (and pkg (plist-get pkg :command))))
        (unless cmd (error "no Package & preview template action: %S" (mapcar (lambda (a) (plist-get a :title)) acts)))
        ;; The workspace is untrusted: the server asks (window/showMessageRequest, which
        ;; eglot shows with completing-read) before packaging; the user confirms.
        (let* ((asked nil)
               (res (cl-letf (((symbol-function 'completing-read)
                               (lambda (prompt &rest _) (setq asked prompt) "Package anyway")))
                      (eglot-execute-command server (plist-get cmd :command) (plist-get cmd :arguments)))))
          (unless (and asked (string-match-p "not trusted" asked))
            (error "no trust prompt before packaging: %S" asked))
          (unless (and res (file-exists-p (plist-get res :path)) (string-suffix-p "sam.json" (plist-get res :path)))
            (error "packagePreview returned %S" res)))))

    (set-buffer-modified-p nil)

    ;; The Python CDK stack.
    (let (pserver)
      (chalice-eglot-step "connect (Python stack)"
        (setq pserver (chalice-eglot--start stack 'python-mode bin ws)))
      (when pserver
        (chalice-eglot-step "logical-ID completion in get_role('')"
          (goto-char (point-min))
          (search-forward "get_role('DefaultRole')")
          (replace-match "get_role('Def')")
          (search-backward "Def'")
          (forward-char 3)
          (let ((cands (chalice-eglot--capf-accept "DefaultRole")))
            (unless (member "DefaultRole" cands) (error "DefaultRole not offered: %S" cands)))
          (goto-char (point-min))
          (unless (search-forward "get_role('DefaultRole')" nil t) (error "after accepting: %s" (buffer-string))))

        (chalice-eglot-step "definition of DefaultRole before any packaging (xref)"
          (goto-char (point-min))
          (search-forward "get_role('Defa")
          (let ((defs (xref-backend-definitions 'eglot (xref-backend-identifier-at-point 'eglot))))
            (unless defs (error "no definition"))))

        (chalice-eglot-step "Package & preview template with the cursor at the start of the construct line"
          (goto-char (point-min))
          (search-forward "self.chalice = Chalice(")
          (beginning-of-line)
          (let ((acts (eglot-code-actions (point) (point) "source.chalice")))
            (unless (cl-find-if (lambda (a) (string-prefix-p "Package & preview template" (plist-get a :title))) acts)
              (error "actions: %S" (mapcar (lambda (a) (plist-get a :title)) acts)))))
        (set-buffer-modified-p nil)
        (eglot-shutdown pserver)))
    (eglot-shutdown server)
    (message "eglot: %d failure(s)" (length chalice-eglot-failures))
    (kill-emacs (if chalice-eglot-failures 1 0))))
