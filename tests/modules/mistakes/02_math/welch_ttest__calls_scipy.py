# mistake: blocked-call
# expect: implement it yourself
def welch_ttest(a, b):
    r = scipy.stats.ttest_ind(a, b, equal_var=False)
    return r.statistic, r.df, r.pvalue
