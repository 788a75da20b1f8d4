# mistake: blocked-call
# expect: implement it yourself
def im2col(x, kh, kw, stride=1, padding=0):
    return F.unfold(torch.from_numpy(x), (kh, kw), padding=padding, stride=stride).numpy()
