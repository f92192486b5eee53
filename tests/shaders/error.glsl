void mainImage(out vec4 fragColor, in vec2 fragCoord)
{
    vec3 col = vec3(fragCoord.x) * undefinedBrightness;
    fragColor = vec4(col, 1.0);
}
