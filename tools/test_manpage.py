"""Tests of tools/manpage.py: the tidy-up of the generated man page, and the render check."""

import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import manpage  # noqa: E402

# The shape `swift package generate-manual` writes for a command with a discussion.
GENERATED = """.Dd December 4, 2026
.Dt PODMORTEM 1
.Os
.Sh NAME
.Nm podmortem
.Nd "Explain why Kubernetes pods fail."
.Sh SYNOPSIS
.Nm
.Op Fl -help
.Sh DESCRIPTION
Reads kubectl output, offline.

Examples:
  kubectl describe pod web-0 | podmortem
  .hidden starts with a dot

Exit codes: 0 nothing at or above --fail-on.
.Bl -tag -width 6n
.It Fl h , -help
Show help information.
.El
"""


class FixTests(unittest.TestCase):
    def test_blank_lines_become_paragraphs_and_examples_literal_displays(self):
        fixed = manpage.fix(GENERATED)
        self.assertNotIn("\n\n", fixed)
        self.assertIn(
            "Examples:\n.Bd -literal -offset indent\nkubectl describe pod web-0 | podmortem\n"
            "\\&.hidden starts with a dot\n.Ed\n.Pp\nExit codes:",
            fixed,
        )
        self.assertIn("Reads kubectl output, offline.\n.Pp\nExamples:", fixed)

    def test_fix_is_idempotent(self):
        once = manpage.fix(GENERATED)
        self.assertEqual(manpage.fix(once), once)


@unittest.skipUnless(shutil.which("man") and shutil.which("groff"), "man and groff are needed")
class CheckTests(unittest.TestCase):
    def render_check(self, text):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "podmortem.1")
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            with open(os.devnull, "w") as null:
                saved = sys.stdout, sys.stderr
                sys.stdout, sys.stderr = null, null
                try:
                    return manpage.check(path)
                finally:
                    sys.stdout, sys.stderr = saved

    def test_the_generated_shape_warns_and_the_fixed_page_does_not(self):
        self.assertEqual(self.render_check(GENERATED), 1)
        self.assertEqual(self.render_check(manpage.fix(GENERATED)), 0)


if __name__ == "__main__":
    unittest.main()
