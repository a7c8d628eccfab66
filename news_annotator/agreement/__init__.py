"""Inter-annotator agreement, in pure Python: span F1, kappas, alpha, alpha_u.

`agreement_report(project, layer=..., annotators=...)` is the entry point; the
coefficient functions take label counts and can be used on their own.
"""

from news_annotator.agreement.coefficients import (
    Coefficient,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
)
from news_annotator.agreement.report import agreement_report
from news_annotator.agreement.text import format_report
from news_annotator.agreement.unitizing import alpha_u

__all__ = ["Coefficient", "agreement_report", "alpha_u", "cohen_kappa", "fleiss_kappa",
           "format_report", "krippendorff_alpha"]
