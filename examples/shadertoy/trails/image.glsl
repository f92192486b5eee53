// Image: tone-map Buffer A's accumulated light; pleasure lifts the background.
void mainImage(out vec4 fragColor, in vec2 fragCoord)
{
    vec3 light = texture(iChannel0, fragCoord / iResolution.xy).rgb;
    vec3 background = mix(vec3(0.01, 0.01, 0.03), vec3(0.08, 0.05, 0.02), 0.5 + 0.5 * uEmotion.x);
    vec3 col = background + light / (1.0 + light);
    fragColor = vec4(pow(col, vec3(1.0 / 2.2)), 1.0);
}
