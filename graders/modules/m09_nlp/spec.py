"""The 09_nlp module: its exercises in notebook order."""
from graders.engine.kept_values import keep_outputs
from graders.engine.spec import Module

from . import bpe, regex_bpe, word2vec
from .bio import bio_spans
from .bleu import corpus_bleu
from .bm25 import bm25_scores
from .bpe import bpe_train
from .ngram import NGramLM
from .regex_bpe import regex_bpe_train
from .tfidf import TfidfVectorizer
from .word2vec import neg_sampling_loss_and_grad
from .wordpiece import wordpiece_tokenize

# the judges whose kept oracles are not found on the judge itself (``uses_library`` wraps these ``returns``
# judges; the plain ones, tfidf's, bio's and bleu's, need no entry): word2vec's torch oracle, and the
# pure-Python BPE references, slow rather than heavy to import, called by judges and by case makers alike
KEPT = {word2vec.JUDGE: word2vec.ORACLE}
TRAINING = {bpe.TRAIN: bpe.TRAIN_ORACLE, regex_bpe.TRAIN: regex_bpe.TRAIN_ORACLE}


def keep_oracle_outputs() -> str:
    """Compute and keep the library oracles' and the BPE references' outputs for every hidden case, the merges
    the encode and decode cases are made with among them (``mlkata warm``)."""
    return (f"{keep_outputs(MODULE, {**KEPT, **TRAINING})} outputs of the torch, scikit-learn, seqeval and "
            "sacrebleu oracles and of the BPE references kept")


MODULE = Module(
    id="09_nlp",
    version="1",
    title="NLP: tokenisers, sparse retrieval, word2vec, n-gram language models, NLP metrics",
    skill="nlp",
    exercises=(bpe_train, regex_bpe_train, wordpiece_tokenize, TfidfVectorizer, bm25_scores,
               neg_sampling_loss_and_grad, NGramLM, bio_spans, corpus_bleu),
    # The libraries whose functions the exercises block (tiktoken, tokenizers, bm25s, seqeval, sacrebleu,
    # scikit-learn's TF-IDF) are not here: a tripwire is wired when its library loads, so only a learner who
    # imports one pays for it. Not torch either: see word2vec.py.
    shared_child=True,        # function-call checks of one exercise share one sandbox child (runner._lane)
    parallel_exercises=True,  # its exercises may be graded two at a time (engine/parallel.py)
    preload=("numpy", "regex", "graders.modules.m09_nlp.helpers"),
    # no grading_imports: the oracles written with torch, scikit-learn, seqeval and sacrebleu keep their outputs
    # per case (engine/kept_values.py), which `mlkata warm` computes once per machine: a grade imports none of them
    warm_up=keep_oracle_outputs,
)
