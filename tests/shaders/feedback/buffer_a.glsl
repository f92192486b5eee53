// Buffer A: x counts the frames since this column started (column c starts at frame c);
// y is what Buffer B held at the end of the previous frame.
void mainImage(out vec4 fragColor, in vec2 fragCoord)
{
    vec4 previous = fetchTexel(iChannel0, fragCoord);
    float started = fragCoord.x < float(iFrame) + 1.0 ? 1.0 : 0.0;
    fragColor = vec4(previous.x + started, fetchTexel(iChannel1, fragCoord).x, 0.0, 1.0);
}
