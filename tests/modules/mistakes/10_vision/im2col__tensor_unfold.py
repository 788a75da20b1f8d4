# mistake: blocked-call
# expect: implement it yourself
def im2col(x, kh, kw, stride=1, padding=0):
    t = F.pad(torch.from_numpy(x), (padding,) * 4)
    patches = t.unfold(2, kh, stride).unfold(3, kw, stride)        # (N, C, H_out, W_out, kh, kw)
    n, c, h_out, w_out = patches.shape[:4]
    return patches.permute(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, h_out * w_out).numpy()
