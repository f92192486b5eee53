// Buffer B: ten times Buffer A of this frame (A is rendered first).
void mainImage(out vec4 fragColor, in vec2 fragCoord)
{
    fragColor = vec4(fetchTexel(iChannel0, fragCoord).x * 10.0, 0.0, 0.0, 1.0);
}
