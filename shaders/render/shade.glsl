// shade.glsl: surface lighting, sky, fog and display transform.
//
// vec3 dsNormal(vec3 p, float t)                       gradient of the map (tetrahedron, 4 taps)
// float dsSoftShadow(vec3 ro, vec3 rd, float tmax)     penumbra estimate (Quilez's improved soft shadows)
// float dsAmbientOcclusion(vec3 p, vec3 n)             5-tap distance-field AO (Evans 2006)
// vec3 dsSky(vec3 rd)                                  zenith/horizon gradient with a sun glow
// vec3 dsFog(vec3 col, float t, vec3 ro, vec3 rd)      exponential fog, optional height falloff
// vec3 dsDisplay(vec3 linearColour)                    ACES fit (Narkowicz 2015) and sRGB encoding
// Source: derived from the cited techniques.
uniform vec3 uSunDir;
uniform vec3 uSunColor;
uniform vec3 uFillColor;
uniform float uAmbient;
uniform vec3 uSkyZenith;
uniform vec3 uSkyHorizon;
uniform vec3 uFogColor;
uniform float uFogDensity;
uniform float uFogHeight;
// y of the plane the height fog thins from: it moves as the feature scale grows the world.
uniform float uFogBase;
uniform float uExposure;
uniform int uShadows;
uniform int uAmbientOcclusion;
uniform vec4 uMatAlbedo[DS_MATERIAL_COUNT];
uniform vec4 uMatEmission[DS_MATERIAL_COUNT];

vec3 dsNormal(vec3 p, float t) {
    // The four tetrahedron taps run in a loop rather than as four calls: compilers inline dsMap
    // at every call site, and a long generated map inlined four more times bloats the shader
    // (slower compiles everywhere, instruction-cache pressure on GPUs).
    float h = 0.0005 * max(t, 1.0);
    vec3 n = vec3(0.0);
    for (int i = 0; i < 4; i++) {
        vec3 e = 0.5773 * (2.0 * vec3(float(((i + 3) >> 1) & 1), float((i >> 1) & 1), float(i & 1)) - 1.0);
        n += e * dsMap(p + e * h).x;
    }
    return normalize(n);
}

float dsSoftShadow(vec3 ro, vec3 rd, float tmax) {
    float res = 1.0;
    float t = 0.02;
    float prev = 1e10;
    for (int i = 0; i < 48; i++) {
        float h = dsMap(ro + rd * t).x;
        float y = h * h / (2.0 * prev);
        float d = sqrt(max(h * h - y * y, 0.0));
        res = min(res, 10.0 * d / max(t - y, 1e-4));
        prev = h;
        t += clamp(h, 0.02, 0.6 + 0.25 * t);
        if (res < 0.004 || t > tmax) {
            break;
        }
    }
    res = clamp(res, 0.0, 1.0);
    return res * res * (3.0 - 2.0 * res);
}

float dsAmbientOcclusion(vec3 p, vec3 n) {
    float occ = 0.0;
    float weight = 1.0;
    for (int i = 0; i < 5; i++) {
        float h = 0.02 + 0.12 * float(i);
        float d = dsMap(p + n * h).x;
        occ += (h - d) * weight;
        weight *= 0.75;
    }
    return clamp(1.0 - 2.5 * occ, 0.0, 1.0);
}

vec3 dsSky(vec3 rd) {
    float up = clamp(rd.y, 0.0, 1.0);
    vec3 col = mix(uSkyHorizon, uSkyZenith, pow(up, 0.6));
    float sun = max(dot(rd, uSunDir), 0.0);
    col += uSunColor * (0.04 * pow(sun, 8.0) + 0.25 * pow(sun, 256.0));
    return col;
}

vec3 dsFog(vec3 col, float t, vec3 ro, vec3 rd) {
    float density = uFogDensity;
    float amount;
    if (uFogHeight > 0.0) {
        // Analytic integral of density * exp(-y / fogHeight) along the ray:
        // a * t * (1 - exp(-x)) / x with x = rd.y * t / fogHeight, whose limit at x -> 0 (a level
        // ray) is a * t; the series keeps the horizon row continuous with its neighbours.
        float a = density * exp(-(ro.y - uFogBase) / uFogHeight);
        float x = rd.y * t / uFogHeight;
        float g = (abs(x) > 1e-3) ? (1.0 - exp(-x)) / x : 1.0 - 0.5 * x;
        amount = 1.0 - exp(-a * t * g);
    } else {
        amount = 1.0 - exp(-density * t);
    }
    float sun = pow(max(dot(rd, uSunDir), 0.0), 6.0);
    vec3 fogCol = uFogColor + 0.15 * sun * uSunColor;
    return mix(col, fogCol, clamp(amount, 0.0, 1.0));
}

vec3 dsShadeSurface(vec3 p, vec3 rd, float t, vec3 material) {
    // material = (id, second id, weight of the second): smooth seams mix the two materials.
    int id = int(material.x + 0.5);
    int id2 = int(material.y + 0.5);
    vec4 albedo = mix(uMatAlbedo[id], uMatAlbedo[id2], material.z);
    vec3 n = dsNormal(p, t);
    float diffuse = max(dot(n, uSunDir), 0.0);
    float shadow = 1.0;
    if (uShadows != 0 && diffuse > 0.0) {
        shadow = dsSoftShadow(p + n * 0.01 * max(t, 1.0), uSunDir, 30.0);
    }
    float ao = uAmbientOcclusion != 0 ? dsAmbientOcclusion(p, n) : 1.0;
    float skyLight = clamp(0.5 + 0.5 * n.y, 0.0, 1.0);
    float back = clamp(dot(n, -uSunDir), 0.0, 1.0);
    float roughness = albedo.w;
    vec3 halfVec = normalize(uSunDir - rd);
    float shininess = mix(96.0, 4.0, roughness);
    float spec = pow(max(dot(n, halfVec), 0.0), shininess) * (1.0 - roughness) * 0.6;
    float fresnel = pow(clamp(1.0 + dot(n, rd), 0.0, 1.0), 5.0);

    vec3 light = uSunColor * diffuse * shadow;
    light += uFillColor * (skyLight * ao * uAmbient + 0.25 * back * ao);
    light += uSkyHorizon * fresnel * ao * 0.3;
    vec3 col = albedo.rgb * light + uSunColor * spec * shadow;
    col += mix(uMatEmission[id].rgb, uMatEmission[id2].rgb, material.z);
    return col;
}

vec3 dsDisplay(vec3 c) {
    c *= uExposure;
    c = clamp((c * (2.51 * c + 0.03)) / (c * (2.43 * c + 0.59) + 0.14), 0.0, 1.0);
    vec3 lo = c * 12.92;
    vec3 hi = 1.055 * pow(c, vec3(1.0 / 2.4)) - 0.055;
    return mix(lo, hi, step(vec3(0.0031308), c));
}
