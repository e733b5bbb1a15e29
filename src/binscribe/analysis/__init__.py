"""Binary analysis: format triage, angr analysis in a sandboxed process, the result model.

Entry points: :func:`detect_format` (fast header triage), :func:`analyze_file` (the whole
analysis in a child process with limits). Imports nothing of ours but settings and errors.
"""
