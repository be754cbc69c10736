<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<!-- written by cityweave map: the style of the map it drew -->
<qgis version="3.22.0" styleCategories="Symbology|Labeling">
  <renderer-v2 type="singleSymbol" symbollevels="0" forceraster="0" enableorderby="0">
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" pass="0" locked="0">
          <prop k="color" v="34,34,34,255"/>
          <prop k="name" v="circle"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.8"/>
          <prop k="outline_width_unit" v="Pixel"/>
          <prop k="size" v="5"/>
          <prop k="size_unit" v="Pixel"/>
          <data_defined_properties>
            <Option type="Map">
              <Option type="QString" name="name" value=""/>
              <Option type="Map" name="properties">
                <Option type="Map" name="size">
                  <Option type="bool" name="active" value="true"/>
                  <Option type="QString" name="expression" value="max(4, 18 * sqrt(max(0, coalesce(&quot;population&quot;, 10661)) / 3778318))"/>
                  <Option type="int" name="type" value="3"/>
                </Option>
              </Option>
              <Option type="QString" name="type" value="collection"/>
            </Option>
          </data_defined_properties>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="name" isExpression="0" fontFamily="DejaVu Sans" fontSize="10" fontSizeUnit="Pixel" textColor="33,33,33,255" textOpacity="1">
        <text-buffer bufferDraw="1" bufferSize="1.5" bufferSizeUnits="Pixel" bufferColor="255,255,255,217" bufferOpacity="1"/>
      </text-style>
      <placement placement="6" dist="2" distUnits="Pixel" priority="5"/>
      <rendering obstacle="1" displayAll="0" upsidedownLabels="0" labelPerPart="0"/>
      <dd_properties>
        <Option type="Map">
          <Option type="QString" name="name" value=""/>
          <Option type="Map" name="properties">
            <Option type="Map" name="Priority">
              <Option type="bool" name="active" value="true"/>
              <Option type="QString" name="expression" value="scale_linear(&quot;population&quot;, 10661, 3778318, 0, 10)"/>
              <Option type="int" name="type" value="3"/>
            </Option>
          </Option>
          <Option type="QString" name="type" value="collection"/>
        </Option>
      </dd_properties>
    </settings>
  </labeling>
  <blendMode>0</blendMode>
  <layerGeometryType>0</layerGeometryType>
</qgis>
