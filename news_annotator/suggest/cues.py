"""English cue words: speech and attribution verbs and phrases, pronouns, titles.

Used by the cold-start rules and as one feature of the learned model (which also learns
its own cue words from the project, so other languages are not left out).
"""

from __future__ import annotations

SPEECH_VERBS = frozenset("""
say says said saying tell tells told telling add adds added adding state states stated
explain explains explained note notes noted noting ask asks asked reply replies replied
argue argues argued arguing claim claims claimed insist insists insisted warn warns warned
write writes wrote tweet tweets tweeted announce announces announced declare declares
declared acknowledge acknowledges acknowledged admit admits admitted suggest suggests
suggested confirm confirms confirmed deny denies denied continue continues continued recall
recalls recalled stress stresses stressed emphasize emphasizes emphasized urge urges urged
report reports reported predict predicts predicted promise promises promised believe
believes believed think thinks thought describe describes described call calls called
contend contends contended maintain maintains maintained observe observes observed
respond responds responded remark remarks remarked comment comments commented agree
agrees agreed conclude concludes concluded estimate estimates estimated allege alleges
alleged assert asserts asserted pledge pledges pledged vow vows vowed threaten threatens
threatened show shows showed shown find finds found reveal reveals revealed indicate
indicates indicated
""".split())
# Verbs whose bare use is an attribution only with a clause after them.
WEAK_VERBS = frozenset("""call calls called show shows showed shown find finds found think
thinks thought believe believes believed agree agrees agreed continue continues continued
continued describe describes described""".split())
CUE_PHRASES = (("according", "to"), ("in", "a", "statement"), ("in", "an", "interview"))
AUXILIARIES = frozenset("has have had will would may might could should did does do is was "
                        "were are".split())
ADVERBS = frozenset("also later then previously repeatedly often once recently again "
                    "publicly privately reportedly".split())
PRONOUNS = frozenset("he she they it we i you".split())
# Words that often stand for a speaker (features only: "his" is no source for the rules).
SPEAKER_WORDS = PRONOUNS | frozenset("who which his her their whom".split())
PERSON_PRONOUNS = frozenset("he she i".split())
DETERMINERS = frozenset("the a an this that these those his her their its our my".split())
CLAUSE_WORDS = frozenset("that and but or which who whom whose when where while as because "
                         "if after before since though although than so".split())
ORG_WORDS = frozenset("""house ministry department party council government agency office
committee commission campaign company corporation bank court police army military
administration organization union association institute university network news times
post journal""".split())
