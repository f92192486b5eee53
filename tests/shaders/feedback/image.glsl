// Image: A.x, A.y and B.x as bytes.
void mainImage(out vec4 fragColor, in vec2 fragCoord)
{
    vec4 a = texture(iChannel0, fragCoord / iResolution.xy);
    vec4 b = texture(iChannel1, fragCoord / iResolution.xy);
    fragColor = vec4(a.x, a.y, b.x, 1.0) / 255.0;
}
