// iChannel0 and iMouse in Shadertoy form: the channel image, a magenta dot where the button is
// held, a green dot where it was clicked, and black if iChannelResolution[0] is wrong.
void mainImage(out vec4 fragColor, in vec2 fragCoord)
{
    fragColor = texture(iChannel0, fragCoord / iResolution.xy);
    if (iMouse.z > 0.0 && distance(fragCoord, iMouse.xy) < 6.0) {
        fragColor = vec4(1.0, 0.0, 1.0, 1.0);
    }
    if (distance(fragCoord, abs(iMouse.zw)) < 3.0) {
        fragColor = vec4(0.0, 1.0, 0.0, 1.0);
    }
    if (iChannelResolution[0].xy != iResolution.xy) {
        fragColor = vec4(0.0);
    }
}
