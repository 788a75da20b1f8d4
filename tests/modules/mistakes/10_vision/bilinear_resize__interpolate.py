# mistake: blocked-call
# expect: implement it yourself
def bilinear_resize(img, out_h, out_w):
    t = torch.from_numpy(img)[None]
    return F.interpolate(t, size=(out_h, out_w), mode="bilinear", align_corners=False)[0].numpy()
