# mistake: blocked-call
# expect: `torch`
def conv2d_backward(dout, x, w, stride=1, padding=0):
    from torch.nn.grad import conv2d_input, conv2d_weight

    d, xt, wt = torch.from_numpy(dout), torch.from_numpy(x), torch.from_numpy(w)
    dx = conv2d_input(xt.shape, wt, d, stride=stride, padding=padding)
    dw = conv2d_weight(xt, wt.shape, d, stride=stride, padding=padding)
    return dx.numpy(), dw.numpy(), dout.sum(axis=(0, 2, 3))
