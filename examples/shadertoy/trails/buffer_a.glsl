// Buffer A: last frame, faded, plus three sparks. Dominance decides how long trails last.
void mainImage(out vec4 fragColor, in vec2 fragCoord)
{
    vec2 uv = (2.0 * fragCoord - iResolution.xy) / iResolution.y;
    vec4 previous = texture(iChannel0, fragCoord / iResolution.xy);
    float keep = 0.90 + 0.08 * (0.5 + 0.5 * uEmotion.z);
    vec3 glow = vec3(0.0);
    for (int i = 0; i < 3; i++) {
        float d = length(uv - sparkPosition(i, iTime, uEmotion.y));
        vec3 tint = 0.5 + 0.5 * cos(6.2831853 * (float(i) / 3.0 + vec3(0.0, 0.33, 0.67)));
        glow += tint * exp(-d * d * 900.0);
    }
    fragColor = vec4(previous.rgb * keep + glow, 1.0);
}
