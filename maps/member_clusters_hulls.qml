<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- written by cityweave map: the style of the map it drew -->
<qgis version="3.22.0" styleCategories="Symbology|Labeling">
  <renderer-v2 type="categorizedSymbol" attr="cluster" symbollevels="0" forceraster="0" enableorderby="0">
    <categories>
      <category render="true" symbol="0" value="0" label="0"/>
      <category render="true" symbol="1" value="1" label="1"/>
      <category render="true" symbol="2" value="2" label="2"/>
      <category render="true" symbol="3" value="3" label="3"/>
      <category render="true" symbol="4" value="4" label="4"/>
      <category render="true" symbol="5" value="5" label="5"/>
      <category render="true" symbol="6" value="6" label="6"/>
    </categories>
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <prop k="color" v="230,159,0,64"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="230,159,0,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="1.5"/>
          <prop k="outline_width_unit" v="Pixel"/>
          <prop k="joinstyle" v="round"/>
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <prop k="color" v="86,180,233,64"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="86,180,233,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="1.5"/>
          <prop k="outline_width_unit" v="Pixel"/>
          <prop k="joinstyle" v="round"/>
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <prop k="color" v="0,158,115,64"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="0,158,115,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="1.5"/>
          <prop k="outline_width_unit" v="Pixel"/>
          <prop k="joinstyle" v="round"/>
        </layer>
      </symbol>
      <symbol type="fill" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <prop k="color" v="240,228,66,64"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="240,228,66,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="1.5"/>
          <prop k="outline_width_unit" v="Pixel"/>
          <prop k="joinstyle" v="round"/>
        </layer>
      </symbol>
      <symbol type="fill" name="4" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <prop k="color" v="0,114,178,64"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="0,114,178,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="1.5"/>
          <prop k="outline_width_unit" v="Pixel"/>
          <prop k="joinstyle" v="round"/>
        </layer>
      </symbol>
      <symbol type="fill" name="5" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <prop k="color" v="213,94,0,64"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="213,94,0,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="1.5"/>
          <prop k="outline_width_unit" v="Pixel"/>
          <prop k="joinstyle" v="round"/>
        </layer>
      </symbol>
      <symbol type="fill" name="6" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" pass="0" locked="0">
          <prop k="color" v="204,121,167,64"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="204,121,167,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="1.5"/>
          <prop k="outline_width_unit" v="Pixel"/>
          <prop k="joinstyle" v="round"/>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <blendMode>0</blendMode>
  <layerGeometryType>2</layerGeometryType>
</qgis>
