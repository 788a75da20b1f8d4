# mistake: blocked-call
# expect: implement it yourself
def grad_cam(model, layer, x, target):
    from captum.attr import LayerGradCam
    return LayerGradCam(model, layer).attribute(x, target=target, relu_attributions=True)
