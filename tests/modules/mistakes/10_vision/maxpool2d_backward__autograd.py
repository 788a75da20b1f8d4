# mistake: blocked-call
# expect: implement it yourself
def maxpool2d_backward(dout, x, kernel_size, stride=None):
    xt = torch.tensor(x, requires_grad=True)
    F.max_pool2d(xt, kernel_size, stride).backward(torch.from_numpy(dout))
    return xt.grad.numpy()
