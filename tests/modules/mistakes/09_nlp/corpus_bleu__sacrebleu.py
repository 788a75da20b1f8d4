# mistake: blocked-call
# expect: implement it yourself
import sacrebleu


def corpus_bleu(hypotheses, references, max_n=4):
    if not hypotheses:
        return 0.0
    metric = sacrebleu.metrics.BLEU(tokenize="none", smooth_method="none", force=True, max_ngram_order=max_n)
    return metric.corpus_score(list(hypotheses), [list(references)]).score / 100
