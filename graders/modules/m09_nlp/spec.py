"""The 09_nlp module: its exercises in notebook order."""
from graders.engine.spec import Module

from .bio import bio_spans
from .bleu import corpus_bleu
from .bm25 import bm25_scores
from .bpe import bpe_train
from .ngram import NGramLM
from .regex_bpe import regex_bpe_train
from .tfidf import TfidfVectorizer
from .word2vec import neg_sampling_loss_and_grad
from .wordpiece import wordpiece_tokenize

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
    # the grading process imports them while the sandbox starts: word2vec's autograd oracle, the references
    # of TF-IDF and BLEU
    grading_imports=("torch", "sklearn.feature_extraction.text", "sacrebleu.metrics"),
)
