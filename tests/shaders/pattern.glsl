// A 2D pattern in Shadertoy form: red and green follow the pixel position, blue the clock.
void mainImage(out vec4 fragColor, in vec2 fragCoord)
{
    vec2 uv = fragCoord / iResolution.xy;
    fragColor = vec4(uv, fract(iTime), 1.0);
}
