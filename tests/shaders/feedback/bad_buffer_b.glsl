// Buffer B with a type error on line 4.
void mainImage(out vec4 fragColor, in vec2 fragCoord)
{
    float x = fetchTexel(iChannel0, fragCoord);
    fragColor = vec4(x);
}
